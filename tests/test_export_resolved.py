"""Copying a request resolves it as a send does, and reads its secrets from the environment.

The curl commands built here run for real (through ``sh``, with the secrets only in
the environment) against the demo server, and what the server received must be what
httpdiff sends for the same request; the Python scripts are run the same way in
``test_export_code.py``.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from httpdiff.compare import compare
from httpdiff.demo import DemoServer
from httpdiff.errors import InvalidRequest, UnknownName
from httpdiff.model import Auth, Body, Options, RequestSpec, ResponseSnapshot
from httpdiff.storage.curl import parse_curl, to_curl
from httpdiff.storage.exporters import export_as_written, export_request
from httpdiff.storage.variables import resolve

EXPORTERS = ("curl", "httpx", "aiohttp")
VARIABLES = {"base": "http://h.test", "who": "alice"}
# Secrets a shell or Python would mangle if they were pasted in instead of read.
SECRETS = {"TOKEN": "t'o\"k $HOME `x` &=+ ü", "API_KEY": "k&y=1 2", "my-token": "dash'ed",
           "UNUSED": "unused-s3cr3t"}


def everywhere(secret: str) -> list[RequestSpec]:
    """A request per place a secret can be: each exporter must read it, never hold it."""
    s = "{{" + secret + "}}"
    base = RequestSpec(url="{{base}}/echo", headers=(("X-Who", "{{who}}"),))
    return [
        RequestSpec(url="{{base}}/echo/" + s),
        RequestSpec(url="{{base}}/echo", params=(("key", s), ("plain", "a b"))),
        RequestSpec(url="{{base}}/echo", params=((s, "v"),)),
        RequestSpec(url="{{base}}/echo", headers=(("Authorization", f"Bearer {s}"),)),
        RequestSpec(url="{{base}}/echo", auth=Auth(kind="bearer", token=s)),
        RequestSpec(url="{{base}}/echo", auth=Auth(kind="basic", username="u", password=s)),
        RequestSpec(url="{{base}}/echo", auth=Auth(kind="basic", username=s, password="p")),
        RequestSpec(method="POST", url="{{base}}/echo",
                    body=Body(kind="json", text='{"token": "' + s + '"}')),
        RequestSpec(method="POST", url="{{base}}/echo", body=Body(kind="text", text=s)),
        RequestSpec(method="POST", url="{{base}}/echo",
                    body=Body(kind="form", fields=(("a", "1"), ("t", s)))),
        RequestSpec(method="POST", url="{{base}}/echo",
                    body=Body(kind="multipart", fields=(("t", s),))),
        RequestSpec(url="{{base}}/echo", options=Options(proxy="http://u:" + s + "@p.test")),
        base,
    ]


@pytest.mark.parametrize("exporter", EXPORTERS)
@pytest.mark.parametrize("secret", ["TOKEN", "API_KEY", "my-token"])
def test_a_secret_is_read_from_the_environment_never_copied(exporter: str, secret: str) -> None:
    for spec in everywhere(secret):
        exported = export_request(spec, exporter, VARIABLES, SECRETS)
        for value in SECRETS.values():
            assert value not in exported.text, (exporter, spec)
        assert "{{" not in exported.text and "http://h.test/echo" in exported.text
        uses_secret = secret in str(spec)
        read = secret.replace("-", "_")  # the name a shell can set
        assert exported.environment == ((read,) if uses_secret else ()), spec
        if exporter != "curl":
            ast.parse(exported.text)
            if uses_secret:
                assert f"os.environ[{read!r}]" in exported.text


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (RequestSpec(url="{{base}}/x", headers=(("Authorization", "Bearer {{TOKEN}}"),)),
         "curl http://h.test/x -H 'Authorization: Bearer '\"$TOKEN\""),
        (RequestSpec(url="{{base}}/x", auth=Auth(kind="bearer", token="{{TOKEN}}")),
         "curl http://h.test/x --oauth2-bearer \"$TOKEN\""),
        (RequestSpec(url="{{base}}/{{TOKEN}}/x?a={{TOKEN}}"),
         "curl http://h.test/\"$TOKEN\"'/x?a='\"$TOKEN\""),
        (RequestSpec(url="{{base}}/x", auth=Auth(kind="basic", username="{{who}}",
                                                 password="{{TOKEN}}")),
         "curl http://h.test/x -u alice:\"$TOKEN\""),
        (RequestSpec(url="{{base}}/x", params=(("k", "{{API_KEY}}"), ("a b", "c d"))),
         "curl http://h.test/x --url-query k=\"$API_KEY\" --url-query +a+b=c+d"),
        (RequestSpec(method="POST", url="{{base}}/x",
                     body=Body(kind="form", fields=(("k", "pre {{API_KEY}}"), ("a", "&")))),
         "curl http://h.test/x --data-urlencode 'k=pre '\"$API_KEY\" --data-raw a=%26"),
        (RequestSpec(url="{{base}}/x", headers=(("X-T", "{{my-token}}"),)),
         "curl http://h.test/x -H 'X-T: '\"$my_token\""),
    ],
)
def test_curl_quotes_each_secret_as_a_shell_variable(spec: RequestSpec, expected: str) -> None:
    assert export_request(spec, "curl", VARIABLES, SECRETS).text == expected


def test_a_name_no_shell_can_set_is_read_from_a_valid_one_and_said() -> None:
    spec = RequestSpec(url="{{base}}/x", headers=(("X-T", "{{my-token}}"), ("X-U", "{{my.token}}"),
                                                  ("X-V", "{{my_token}}")))
    secrets = {"my-token": "a", "my.token": "b", "my_token": "c"}
    for exporter in EXPORTERS:
        exported = export_request(spec, exporter, VARIABLES, secrets)
        # one name for the shell and Python alike; never one another secret uses
        assert exported.environment == ("my_token_2", "my_token_3", "my_token"), exporter
        assert exported.notes == (
            "{{my-token}} is read from the environment variable my_token_2 "
            "(my-token is not a valid shell variable name)",
            "{{my.token}} is read from the environment variable my_token_3 "
            "(my.token is not a valid shell variable name)",
        )


def test_a_script_imports_what_its_secrets_need() -> None:
    in_header = RequestSpec(url="{{base}}/x", headers=(("X-T", "{{TOKEN}}"),))
    in_query = RequestSpec(url="{{base}}/x?t={{TOKEN}}", params=(("k", "{{API_KEY}}"),))
    for library in ("httpx", "aiohttp"):
        plain = export_request(RequestSpec(url="{{base}}/x"), library, VARIABLES, SECRETS).text
        header = export_request(in_header, library, VARIABLES, SECRETS).text
        query = export_request(in_query, library, VARIABLES, SECRETS).text
        assert "import os" not in plain and "import os" in header
        assert "import urllib.parse" not in header and "import urllib.parse" in query
        # a secret written in the URL itself is sent as written; a parameter is encoded
        assert ("URL = 'http://h.test/x?t=' + os.environ['TOKEN'] + '&k=' + "
                "urllib.parse.quote_plus(os.environ['API_KEY'])") in query


def test_undefined_variable_fails_as_a_send_does() -> None:
    spec = RequestSpec(url="{{base}}/x", headers=(("X-A", "{{nope}}"),))
    with pytest.raises(InvalidRequest) as sent:
        resolve(spec, VARIABLES, SECRETS)
    for exporter in EXPORTERS:
        with pytest.raises(InvalidRequest) as copied:
            export_request(spec, exporter, VARIABLES, SECRETS)
        assert str(copied.value) == str(sent.value) == "undefined variable {{nope}} in header X-A"


def test_the_environment_wins_over_a_secret_of_the_same_name() -> None:
    # a send takes the environment's value first: so does the copy, in clear
    spec = RequestSpec(url="{{base}}/x", headers=(("X-T", "{{TOKEN}}"),))
    exported = export_request(spec, "curl", {**VARIABLES, "TOKEN": "public"}, SECRETS)
    assert exported.text == "curl http://h.test/x -H 'X-T: public'"
    assert exported.environment == ()


def test_relative_paths_are_anchored_at_the_collection(tmp_path: Path) -> None:
    spec = RequestSpec(method="POST", url="{{base}}/x", body=Body(kind="file", path="data.bin"),
                       options=Options(ca_bundle="certs/ca.pem"))
    exported = export_request(spec, "curl", VARIABLES, {}, root=tmp_path)
    assert parse_curl(exported.text).body.path == str(tmp_path / "data.bin")
    assert parse_curl(exported.text).options.ca_bundle == str(tmp_path / "certs/ca.pem")


def test_without_secrets_the_export_is_the_plain_exporters() -> None:
    spec = RequestSpec(url="{{base}}/x", params=(("a", "{{who}}"),))
    ready = resolve(spec, VARIABLES, {})
    assert export_request(spec, "curl", VARIABLES, {}).text == to_curl(ready)
    assert export_as_written(spec, "curl").text == to_curl(spec)
    with pytest.raises(UnknownName, match="known: curl, httpx, aiohttp"):
        export_request(spec, "wget", VARIABLES, {})


# -- the command runs -----------------------------------------------------------------------

def run_in_shell(command: str, environment: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        ["sh", "-c", command + " --silent --show-error"], capture_output=True, timeout=30,
        env={"PATH": os.environ["PATH"], **environment}, check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    echoed: dict[str, Any] = json.loads(done.stdout)
    return echoed


async def sent_by_httpdiff(spec: RequestSpec) -> dict[str, Any]:
    comparison = await compare(spec, names=["httpx"])
    outcome = comparison.outcomes["httpx"]
    assert isinstance(outcome, ResponseSnapshot), outcome
    echoed: dict[str, Any] = json.loads(outcome.body)
    return echoed


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl command")
async def test_the_curl_command_sends_what_a_send_sends(demo: DemoServer) -> None:
    variables = {"base": demo.http_url.rstrip("/")}
    cases = [
        RequestSpec(url="{{base}}/echo", params=(("key", "{{API_KEY}}"), ("p", "a b&c")),
                    headers=(("X-Token", "Bearer {{TOKEN}}"), ("X-Dash", "{{my-token}}"))),
        RequestSpec(method="POST", url="{{base}}/echo?x=1",
                    body=Body(kind="form", fields=(("t", "{{TOKEN}}"), ("n", "1 + 1")))),
        RequestSpec(method="PUT", url="{{base}}/echo", auth=Auth(kind="bearer", token="{{TOKEN}}"),
                    body=Body(kind="json", text='{"key": "{{API_KEY}}"}')),
        RequestSpec(url="{{base}}/echo", auth=Auth(kind="basic", username="{{my-token}}",
                                                   password="{{TOKEN}}")),
    ]
    secrets = {"TOKEN": "t'o\"k $HOME `x` + end", "API_KEY": "k&y=1 2", "my-token": "dash'ed"}
    for spec in cases:
        exported = export_request(spec, "curl", variables, secrets)
        environment = {name.replace("-", "_"): value for name, value in secrets.items()}
        echoed = await asyncio.to_thread(run_in_shell, exported.text, environment)
        expected = await sent_by_httpdiff(resolve(spec, variables, secrets))
        for key in ("method", "path", "query", "body"):
            got, want = echoed[key], expected[key]
            if key == "body" and spec.body.kind == "form":  # %20 from curl, + from httpx
                got, want = form_pairs(got), form_pairs(want)
            elif key == "body" and spec.body.kind == "json":  # the backends re-serialise it
                got, want = json.loads(got), json.loads(want)
            assert got == want, (key, exported.text)
        ours = {name.lower(): value for name, value in expected["headers"]}
        theirs = {name.lower(): value for name, value in echoed["headers"]}
        for name in ("x-token", "x-dash", "authorization", "content-type"):
            assert theirs.get(name) == ours.get(name), (name, exported.text)


def form_pairs(body: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(body, keep_blank_values=True)
