"""``{{variables}}``: resolved everywhere, undefined ones named, secrets never shown."""

from __future__ import annotations

import base64

import pytest

from httpdiff.errors import InvalidRequest
from httpdiff.model import (
    Auth,
    Body,
    Category,
    Comparison,
    Failure,
    FailureKind,
    Finding,
    Options,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Verdict,
)
from httpdiff.storage.variables import (
    MASK,
    credential_values,
    masked,
    redact,
    redact_comparison,
    redact_document,
    resolve,
    secret_values,
    secrets_used,
    variables_in,
)

SPEC = RequestSpec(
    method="POST",
    url="{{base}}/users/{{ id }}",
    headers=(("X-Token", "{{TOKEN}}"), ("X-{{hname}}", "plain")),
    params=(("q", "{{id}}"),),
    body=Body(kind="form", text="{{id}}", fields=(("f", "{{TOKEN}}"),)),
    auth=Auth(kind="basic", username="{{user}}", password="{{PASSWORD}}"),
    options=Options(proxy="{{proxy}}"),
    name="u",
)
ENV = {"base": "http://h.test", "id": "7", "hname": "Name", "user": "alice", "proxy": ""}
SECRETS = {"TOKEN": "s3cr3t tok", "PASSWORD": "pw!", "UNUSED": "zzz"}


def test_resolve_fills_every_place() -> None:
    out = resolve(SPEC, ENV, SECRETS)
    assert out.url == "http://h.test/users/7"
    assert out.headers == (("X-Token", "s3cr3t tok"), ("X-Name", "plain"))
    assert out.params == (("q", "7"),)
    assert out.body.text == "7" and out.body.fields == (("f", "s3cr3t tok"),)
    assert out.auth == Auth(kind="basic", username="alice", password="pw!")
    assert out.name == "u" and out.method == "POST"


def test_environment_wins_over_secrets_and_one_pass_only() -> None:
    spec = RequestSpec(url="http://h.test/{{a}}")
    assert resolve(spec, {"a": "env"}, {"a": "secret"}).url == "http://h.test/env"
    assert resolve(spec, {"a": "{{b}}"}, {"b": "x"}).url == "http://h.test/{{b}}"
    assert resolve(RequestSpec(url="{{ not a var! }}"), {}, {}).url == "{{ not a var! }}"


@pytest.mark.parametrize(("spec", "message"), [
    (RequestSpec(url="{{x}}"), "undefined variable {{x}} in URL"),
    (RequestSpec(headers=(("X-Token", "{{x}}"),)), "undefined variable {{x}} in header X-Token"),
    (RequestSpec(params=(("q", "{{x}}"),)), "undefined variable {{x}} in query parameter q"),
    (RequestSpec(body=Body(kind="json", text="{{x}}")), "undefined variable {{x}} in body"),
    (RequestSpec(body=Body(kind="form", fields=(("f", "{{x}}"),))),
     "undefined variable {{x}} in form field f"),
    (RequestSpec(auth=Auth(kind="bearer", token="{{x}}")),
     "undefined variable {{x}} in bearer token"),
    (RequestSpec(auth=Auth(kind="basic", password="{{x}}")),
     "undefined variable {{x}} in auth password"),
])
def test_undefined_variable_names_itself_and_the_place(spec: RequestSpec, message: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        resolve(spec, {}, {})
    assert str(caught.value) == message


def test_masked_hides_secrets_and_never_fails() -> None:
    out = masked(SPEC, ENV, SECRETS)
    assert out.headers[0] == ("X-Token", MASK)
    assert out.auth.password == MASK
    assert out.url == "http://h.test/users/7"
    assert masked(RequestSpec(url="{{nope}}"), {}, {}).url == "{{nope}}"


def test_variables_in_and_secrets_used() -> None:
    assert variables_in(SPEC) == ("base", "id", "TOKEN", "hname", "user", "PASSWORD", "proxy")
    assert secrets_used(SPEC, ENV, SECRETS) == {"TOKEN": "s3cr3t tok", "PASSWORD": "pw!"}


def test_secret_values_cover_derived_forms_and_redaction() -> None:
    forms = secret_values(SPEC, ENV, SECRETS)
    token = base64.b64encode(b"alice:pw!").decode()
    assert {"s3cr3t tok", "s3cr3t%20tok", "s3cr3t+tok", "pw!", "pw%21", token} <= set(forms)
    assert "zzz" not in forms
    sent = f"Authorization: Basic {token}\nX-Token: s3cr3t tok\nGET /?t=s3cr3t%20tok"
    shown = redact(sent, forms)
    assert "s3cr3t" not in shown and token not in shown and "pw!" not in shown
    doc = {"headers": [["X-Token", "s3cr3t tok"]], "n": 1, "s3cr3t tok": None}
    assert redact_document(doc, forms) == {"headers": [["X-Token", MASK]], "n": 1, MASK: None}


def test_resolve_can_put_a_reference_in_place_of_each_secret() -> None:
    seen: list[tuple[str, str]] = []

    def reference(name: str, place: str) -> str:
        seen.append((name, place))
        return f"<{name}>"

    out = resolve(SPEC, ENV, SECRETS, reference=reference)
    assert out.headers == (("X-Token", "<TOKEN>"), ("X-Name", "plain"))
    assert out.auth.password == "<PASSWORD>" and out.url == "http://h.test/users/7"
    assert ("TOKEN", "form field f") in seen
    with pytest.raises(InvalidRequest, match=r"undefined variable \{\{base\}\} in URL"):
        resolve(SPEC, {}, SECRETS, reference=reference)


URL_SECRET = 'p@ss/rd"é&x=1'


@pytest.mark.parametrize("wire", [
    "p@ss/rd%22%C3%A9&x=1",  # httpx and yarl in a query
    "p%40ss%2Frd%22%C3%A9%26x%3D1",  # everything encoded
    "p%40ss/rd%22%c3%a9%26x%3d1",  # lower-case hex, '/' kept
    "p@ss%2Frd%22%C3%A9%26x=1",  # a mix no listed safe set gives
    'p@ss/rd\\"\\u00e9&x=1',  # JSON-escaped
    'p@ss\\/rd%22\\u00E9%26x=1',  # a server's half-decoded echo, JSON-escaped
])
def test_a_secret_in_a_url_is_redacted_in_any_encoding(wire: str) -> None:
    forms = secret_values(RequestSpec(url="{{base}}/echo?k={{pw}}"), ENV, {"pw": URL_SECRET})
    assert redact(f"http://h.test/echo?k={wire}&z=2", forms) == f"http://h.test/echo?k={MASK}&z=2"


def test_form_encoding_and_basic_tokens_in_both_charsets() -> None:
    forms = secret_values(
        RequestSpec(auth=Auth(kind="basic", username="bob", password="{{pw}}")), {},
        {"pw": "pässwörd secret"},
    )
    assert redact("a=p%C3%A4ssw%C3%B6rd+secret", forms) == f"a={MASK}"
    for encoding in ("utf-8", "latin-1"):
        token = base64.b64encode("bob:pässwörd secret".encode(encoding)).decode()
        assert redact(f"Basic {token}", forms) == f"Basic {MASK}"


def test_a_secret_in_url_user_info_gives_its_basic_token() -> None:
    forms = secret_values(RequestSpec(url="http://bob:{{pw}}@h.test/"), {}, {"pw": "s3cr3t!"})
    token = base64.b64encode(b"bob:s3cr3t!").decode()
    assert token in forms


def test_credential_values_cover_literal_credentials() -> None:
    spec = RequestSpec(url="http://amy:url%20pass@h.test/",
                       auth=Auth(kind="basic", username="bob", password="hunter2secret"))
    forms = credential_values(spec)
    sent = ("Authorization: Basic " + base64.b64encode(b"bob:hunter2secret").decode()
            + " " + base64.b64encode(b"amy:url pass").decode() + " url pass url%20pass")
    assert redact(sent, forms) == f"Authorization: Basic {MASK} {MASK} {MASK} {MASK}"
    assert "bob" not in forms and "amy" not in forms  # user names alone are not secret
    bearer = credential_values(RequestSpec(auth=Auth(kind="bearer", token="tok-123456")))
    assert redact("Bearer tok-123456", bearer) == f"Bearer {MASK}"
    assert credential_values(RequestSpec(url="http://h.test/")) == ()


def test_redact_comparison_cleans_before_anything_is_shortened() -> None:
    secret = "sk_live_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    sent = SentRequest(method="GET", url=f"http://h.test/?k={secret}",
                       headers=(("X-Api-Key", secret),), body=secret.encode())
    outcome = ResponseSnapshot(
        backend="httpx", request=sent, status=200, reason="OK", http_version="HTTP/1.1",
        headers=(("X-Echo", secret),), body=f'{{"k": "{secret}"}}'.encode(), text=secret,
    )
    failure = Failure(backend="aiohttp", kind=FailureKind.OTHER, exception_type="E",
                      message=f"bad {secret!r}", request=sent)
    finding = Finding(Category.BODY, "$.k", Verdict.DIFFERENCE,
                      {"httpx": f'"{secret}"', "aiohttp": None}, detail=secret)
    comparison = Comparison(RequestSpec(url="http://h.test/"),
                            {"httpx": outcome, "aiohttp": failure}, (finding,))
    clean = redact_comparison(comparison, secret_values(
        RequestSpec(headers=(("X-Api-Key", "{{token}}"),)), {}, {"token": secret}))
    assert secret[:12] not in repr(clean)
    assert clean.findings[0].values == {"httpx": f'"{MASK}"', "aiohttp": None}
    assert clean.findings[0].category is Category.BODY
    assert clean.outcomes["httpx"].body == f'{{"k": "{MASK}"}}'.encode()
    assert clean.outcomes["aiohttp"].message == f"bad '{MASK}'"
    assert redact_comparison(comparison, ()) is comparison


def test_the_start_of_a_secret_cut_short_by_the_diff_engine_is_masked() -> None:
    from httpdiff.diff.jsondiff import compact

    token = "eyJhbGciOiJIUzI1NiJ9." + "abcdefghij" * 22
    forms = secret_values(RequestSpec(headers=(("Authorization", "Bearer {{t}}"),)), {},
                          {"t": token})
    cut = compact(["Authorization", f"Bearer {token}"])
    assert cut is not None and cut.endswith("…") and token[:40] in cut
    shown = redact(f"$.headers[5] = {cut} and more", forms)
    assert token[:8] not in shown and shown.endswith(f"Bearer {MASK}… and more")
    # text that only looks like a start stays as it is
    assert redact("ey…", forms) == "ey…"


def test_a_short_secret_is_masked_where_it_stands_apart_not_inside_words() -> None:
    forms = credential_values(RequestSpec(auth=Auth(kind="basic", username="alice",
                                                    password="e")))
    shown = redact('GET /echo  user-agent: x  password="e" pw=e', forms)
    assert shown == f'GET /echo  user-agent: x  password="{MASK}" pw={MASK}'
    token = base64.b64encode(b"alice:e").decode()
    assert redact(f"Authorization: Basic {token}", forms) == f"Authorization: Basic {MASK}"
