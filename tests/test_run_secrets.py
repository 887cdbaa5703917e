"""``httpdiff run`` never shows a secret: not cut short, not in an error, not encoded.

Each test reads the raw output of every format (and the history file) and looks for
the secret, the forms a client or a report makes of it, and a long prefix of it (what
is left when a report shortens a value that was redacted too late).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from httpdiff.cli import main
from httpdiff.demo import DemoServer
from httpdiff.storage.history import History

FORMATS = ("text", "json", "junit")


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _collection(root: Path, demo: DemoServer, secret: str, request: str) -> Path:
    _write(root, "environments/local.yaml", f"base: {demo.http_url}\n")
    _write(root, ".env", f"pw={json.dumps(secret, ensure_ascii=False)}\n")
    _write(root, "r.yaml", request)
    return root


def _run(root: Path, fmt: str, capsys: pytest.CaptureFixture[str],
         *extra: str) -> tuple[int, str]:
    status = main(["run", str(root), "--env", "local", "--format", fmt, *extra])
    out, err = capsys.readouterr()
    return status, out + err


def assert_hidden(output: str | bytes, secret: str) -> None:
    """Neither the secret, nor an encoding of it, nor its first half shows."""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    forms = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
             quote_plus(secret), secret[: max(8, len(secret) // 2)]}
    forms.update(quote(secret, safe=safe) for safe in ("", "/", "!$&'()*+,;=:@/?"))
    for form in forms:
        assert form not in text, f"{form!r} leaked"


def test_a_long_secret_is_masked_before_values_are_shortened(
    tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "sk_live_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    # /echo reflects the header in each client's own order: findings quote it, cut short
    root = _collection(tmp_path / "c", demo, secret, "url: '{{base}}/echo'\nheaders:\n"
                       "- name: X-Api-Key\n  value: '{{pw}}'\n")
    for fmt in FORMATS:
        status, output = _run(root, fmt, capsys, "--no-history")
        assert status == 1, output
        assert_hidden(output, secret)
        assert "•••" in output or "\\u2022\\u2022\\u2022" in output, fmt
    status, output = _run(root, "text", capsys)
    assert "body: $.headers" in output  # the shortened findings were really shown
    assert_hidden(History().path.read_bytes(), secret)


@pytest.mark.parametrize(("secret", "request_text", "message"), [
    ("pässwörd-SECRET", "url: '{{base}}/echo'\nheaders:\n- name: X-Key\n  value: '{{pw}}'\n",
     "header 'X-Key' has a non-ASCII value '•••'"),
    ("a secret with spaces", "url: '{{base}}/echo/{{pw}}'\n", "contains a space"),
    ("x" * 30 + "-ünicode-and-long", "url: '{{base}}/echo'\nheaders:\n"
     "- name: X-Key\n  value: 'Token {{pw}}'\n", "non-ASCII value 'Token •••'"),
])
def test_a_not_sent_message_does_not_quote_the_secret(
    tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str],
    secret: str, request_text: str, message: str,
) -> None:
    root = _collection(tmp_path / "c", demo, secret, request_text)
    for fmt in FORMATS:
        status, output = _run(root, fmt, capsys, "--no-history")
        assert status == 2, output
        assert_hidden(output, secret)
        assert "not sent" in output.lower()
    status, output = _run(root, "text", capsys, "--no-history")
    assert message in output


def test_a_secret_in_a_query_is_masked_in_the_url_each_client_sent(
    tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = 'p@ss/rd"é&x=1'
    root = _collection(tmp_path / "c", demo, secret, "url: '{{base}}/echo?k={{pw}}'\n")
    status, output = _run(root, "json", capsys)
    assert status in (0, 1), output
    doc = json.loads(output.splitlines()[0])
    for result in doc["results"].values():
        assert result["request"]["url"].endswith("/echo?k=•••"), result["request"]
    assert doc["request"]["url"].endswith("/echo?k=•••")
    assert_hidden(output, secret)
    assert "p@ss/rd%22" not in output  # what httpx and yarl put on the wire
    assert_hidden(History().path.read_bytes(), secret)


def test_a_secret_password_never_shows_as_its_basic_token(
    tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "hunter2-in-the-env"
    root = _collection(tmp_path / "c", demo, secret, "url: '{{base}}/echo'\nauth:\n"
                       "  kind: basic\n  username: bob\n  password: '{{pw}}'\n")
    token = base64.b64encode(f"bob:{secret}".encode()).decode()
    for fmt in FORMATS:
        _, output = _run(root, fmt, capsys, "--no-history")
        assert_hidden(output, secret)
        assert_hidden(output, token)
