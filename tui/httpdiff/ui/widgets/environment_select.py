"""Which of the collection's environments fills ``{{variables}}``: a compact Select.

Beside the backend toggle, since both decide what a send does. "no environment"
is a real choice (variables then come from secrets only), so the Select never
shows a blank; the chosen name (or ``None``) travels in ``Chosen``.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.message import Message
from textual.widgets import Select

NONE = "\x00none"  # a value no environment file can be named (names are [A-Za-z0-9_.-])


class EnvironmentSelect(Select[str]):
    """The environments of the open collection, plus "no environment"."""

    DEFAULT_CSS = """
    EnvironmentSelect {
        width: 32;
    }
    """

    class Chosen(Message):
        def __init__(self, name: str | None) -> None:
            super().__init__()
            self.name = name

    def __init__(self, names: Sequence[str] = (), current: str | None = None,
                 *, id: str | None = None) -> None:
        chosen = current if current is not None and current in names else NONE
        super().__init__(self._choices(names), value=chosen, allow_blank=False, compact=True,
                         id=id, tooltip="Environment")

    @staticmethod
    def _choices(names: Sequence[str]) -> list[tuple[str, str]]:
        return [("no environment", NONE), *((f"env: {name}", name) for name in names)]

    @property
    def environment(self) -> str | None:
        value = self.value
        return value if isinstance(value, str) and value != NONE else None

    def set_environments(self, names: Sequence[str], current: str | None) -> None:
        with self.prevent(Select.Changed):
            self.set_options(self._choices(names))
            self.value = current if current is not None and current in names else NONE

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select is self:
            event.stop()
            self.post_message(self.Chosen(self.environment))
