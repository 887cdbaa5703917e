"""report: the JSON document and the text summary never leak a secret or a control sequence."""

from __future__ import annotations

import json

from httpdiff.diff import findings
from httpdiff.model import (
    Auth,
    Comparison,
    Failure,
    FailureKind,
    Options,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
)
from httpdiff.report import comparison_document, comparison_text, printable

HOSTILE = "\x1b]8;;http://evil/\x07click\x1b[2J\x9b31m\u202egnp.exe\u2028next"


def _snapshot(name: str, value: str) -> ResponseSnapshot:
    return ResponseSnapshot(
        backend=name,
        request=SentRequest("GET", "http://h.test/", (("Host", "h.test"),)),
        status=200,
        reason=value,
        http_version="HTTP/1.1",
        headers=(("X-Evil", value), ("Content-Type", "text/plain")),
        body=value.encode(),
        text=value,
    )


def _comparison(spec: RequestSpec) -> Comparison:
    outcomes = {
        "a": _snapshot("a", HOSTILE),
        "b": Failure("b", FailureKind.PROTOCOL, "x.Error", HOSTILE),
    }
    return Comparison(spec, outcomes, findings(outcomes))


def test_server_text_never_reaches_the_terminal_as_control_characters() -> None:
    text = comparison_text(_comparison(RequestSpec(url="http://h.test/")))
    for forbidden in ("\x1b", "\x07", "\x9b", "\u202e", "\u2028"):
        assert forbidden not in text
    assert "\\x1b" in text
    shown = printable(HOSTILE)
    assert "\\x9b" in shown and "\\u202e" in shown and "\\u2028" in shown


def test_printable_keeps_ordinary_text() -> None:
    assert printable("café\tok\nnext ✓") == "café\tok\nnext ✓"


def test_user_info_in_the_url_is_masked_like_the_auth_password() -> None:
    spec = RequestSpec(url="http://ann:s3cret@h.test/x?q=1",
                       auth=Auth(kind="basic", username="bob", password="hunter2"),
                       options=Options(proxy="http://p:pr0xy@proxy.test:3128"))
    comparison = _comparison(spec)
    document = json.dumps(comparison_document(comparison))
    text = comparison_text(comparison)
    for shown in (document, text):
        assert "s3cret" not in shown and "hunter2" not in shown and "pr0xy" not in shown
        assert "http://ann:***@h.test/x?q=1" in shown


def test_every_backend_failing_is_said_next_to_equivalent() -> None:
    spec = RequestSpec(url="http://h.test/")
    outcomes: dict[str, Outcome] = {
        name: Failure(name, FailureKind.CONNECT, "OSError", "refused") for name in ("a", "b")
    }
    text = comparison_text(Comparison(spec, outcomes, findings(outcomes)))
    assert "EQUIVALENT" in text
    assert "note: every backend failed (connect): no response was compared" in text
    assert "every backend failed" not in comparison_text(_comparison(spec))


def test_a_wide_terminal_shows_long_error_messages_whole() -> None:
    spec = RequestSpec(url="http://h.test/")
    message = "Cannot connect to host h.test:80 ssl:default [Connect call failed ('10.0.0.1', 80)]"
    outcomes: dict[str, Outcome] = {
        name: Failure(name, FailureKind.CONNECT, "OSError", message) for name in ("a", "b")
    }
    comparison = Comparison(spec, outcomes, findings(outcomes))
    assert message not in comparison_text(comparison)  # narrow: cut with …
    assert message in comparison_text(comparison, width=240)
