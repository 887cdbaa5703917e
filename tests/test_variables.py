"""``{{variables}}``: resolved everywhere, undefined ones named, secrets never shown."""

from __future__ import annotations

import base64

import pytest

from httpdiff.errors import InvalidRequest
from httpdiff.model import Auth, Body, Options, RequestSpec
from httpdiff.storage.variables import (
    MASK,
    masked,
    redact,
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
