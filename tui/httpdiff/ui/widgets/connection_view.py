"""Transport facts of one send: addresses, TLS version, cipher, ALPN, connection reuse.

``None`` means the library did not expose the fact; it is said, never guessed.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from httpdiff.model import ConnectionInfo, Failure, Outcome
from httpdiff.ui.render import safe_text

ROWS = (
    ("remote address", "remote_address"),
    ("local address", "local_address"),
    ("TLS version", "tls_version"),
    ("cipher", "cipher"),
    ("ALPN", "alpn"),
    ("reused", "reused"),
)


def connection_text(outcome: Outcome | None) -> Text:
    if outcome is None:
        return Text("no response yet", style="dim")
    if isinstance(outcome, Failure):
        return Text("no connection facts: the send failed", style="dim")
    info: ConnectionInfo = outcome.connection
    out = Text(no_wrap=True)
    for label, attr in ROWS:
        value = getattr(info, attr)
        out.append(f"{label:<16}", style="bold")
        if value is None:
            out.append("not reported", style="dim italic")
        elif isinstance(value, bool):
            out.append("yes (pooled connection)" if value else "no (new connection)")
        else:
            out.append_text(safe_text(str(value), limit=300))
        out.append("\n")
    out.rstrip()
    return out


class ConnectionView(Static):
    DEFAULT_CSS = "ConnectionView { padding: 0 1; height: auto; }"

    def show_outcome(self, outcome: Outcome | None) -> None:
        self.update(connection_text(outcome))


__all__ = ["ConnectionView", "connection_text"]
