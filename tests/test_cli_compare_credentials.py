"""``httpdiff compare`` never shows the credentials it was given, in any format.

``-u user:password`` and a password in the URL's user info become an
``Authorization: Basic`` header, which /echo reflects in its body: the password,
the token and their encodings must be missing from the raw output.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest

from httpdiff.cli import main
from httpdiff.demo import DemoServer

PASSWORD = "hunter2secret/é"


def _hidden(output: str, user: str, password: str) -> None:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    latin = base64.b64encode(f"{user}:{password}".encode("latin-1")).decode()
    for form in (password, quote(password, safe=""), quote(password), token, latin,
                 token[:16], password[:8]):
        assert form not in output, f"{form!r} leaked"


@pytest.mark.parametrize("fmt", ["text", "json", "har"])
@pytest.mark.parametrize("where", ["-u", "url"])
def test_credentials_are_masked_in_every_format(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], fmt: str, where: str
) -> None:
    if where == "-u":
        argv = [f"{demo.http_url}/echo", "-u", f"bob:{PASSWORD}"]
    else:
        host = demo.http_url.removeprefix("http://")
        argv = [f"http://bob:{quote(PASSWORD, safe='')}@{host}/echo"]
    status = main(["compare", *argv, "--format", fmt])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    assert "Authorization" in out  # the header was sent and reported, masked
    assert "•••" in out or "\\u2022\\u2022\\u2022" in out
    _hidden(out + err, "bob", PASSWORD)


def test_a_bad_request_error_hides_the_url_password(
    capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["compare", "http://bob:hunter2secret@127.0.0.1:1/a b"])
    _, err = capsys.readouterr()
    assert status == 2 and "space or control" in err
    assert "hunter2" not in err
