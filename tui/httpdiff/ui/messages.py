"""App-wide messages about a send, posted by the app to itself.

The send worker and the compare callback never touch widgets directly: they
post these, and the app's handlers update the views. That keeps one path from
core to screen, and lets tests wait for a send's stages with ``message_hook``.
``generation`` numbers each send: a message from a send that was cancelled or
replaced is recognised and dropped.
"""

from __future__ import annotations

from textual.message import Message

from httpdiff.model import Comparison, Outcome, RequestSpec


class SendStarted(Message):
    """A request went to ``names``."""

    def __init__(self, generation: int, spec: RequestSpec, names: tuple[str, ...]) -> None:
        super().__init__()
        self.generation = generation
        self.spec = spec
        self.names = names


class OutcomeArrived(Message):
    """One backend finished (before the comparison is ready)."""

    def __init__(self, generation: int, name: str, outcome: Outcome) -> None:
        super().__init__()
        self.generation = generation
        self.name = name
        self.outcome = outcome


class ComparisonReady(Message):
    """Every backend finished and the outcomes were diffed."""

    def __init__(self, generation: int, comparison: Comparison, elapsed_ms: float) -> None:
        super().__init__()
        self.generation = generation
        self.comparison = comparison
        self.elapsed_ms = elapsed_ms


class SendRejected(Message):
    """The request could not be sent as written; nothing was sent."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class SendCancelled(Message):
    """The send in flight was cancelled (Esc, or replaced by a new send)."""

    def __init__(self, generation: int, names: tuple[str, ...]) -> None:
        super().__init__()
        self.generation = generation
        self.names = names
