"""Which backends a send goes through: each one alone, or all of them together.

Always visible above the results, one line, clickable; ``cycle`` (the app's
"cycle-backends" key) steps through the choices. Colours come from the theme's
``backend-<name>`` variables so each library keeps one colour everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Label, Static


def choices_for(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Each backend alone, then all together (the default)."""
    singles: list[tuple[str, ...]] = [(name,) for name in names]
    return [*singles, tuple(names)] if len(names) > 1 else singles


def choice_label(choice: Sequence[str], total: int) -> str:
    if len(choice) == 1:
        return choice[0]
    return "both" if total == 2 and len(choice) == 2 else "all"


class _Choice(Static):
    """One clickable choice."""

    def __init__(self, index: int, choice: tuple[str, ...]) -> None:
        super().__init__(classes="backend-choice")
        self.index = index
        self.choice = choice

    def on_click(self, event: events.Click) -> None:
        event.stop()
        toggle = self.query_ancestor(BackendToggle)
        toggle.selected = self.choice


class BackendToggle(Horizontal):
    """Pick httpx, aiohttp or both; posts ``Changed`` with the chosen names."""

    DEFAULT_CSS = """
    BackendToggle {
        height: 1;
        width: 100%;
        background: $panel;
        #backend-title { width: auto; padding: 0 1; color: $text-muted; }
        .backend-choice { width: auto; padding: 0 1; margin-right: 1; }
        .backend-choice:hover { background: $boost; }
        .backend-choice.-selected { background: $primary 40%; text-style: bold; }
    }
    """

    selected: reactive[tuple[str, ...]] = reactive(tuple, init=False)

    class Changed(Message):
        """The chosen backends changed."""

        def __init__(self, toggle: BackendToggle, names: tuple[str, ...]) -> None:
            super().__init__()
            self.toggle = toggle
            self.names = names

        @property
        def control(self) -> BackendToggle:
            return self.toggle

    def __init__(
        self,
        names: Sequence[str],
        selected: Sequence[str] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.names = tuple(names)
        self.choices = choices_for(self.names)
        initial = tuple(selected) if selected else self.names
        if initial not in self.choices:
            self.choices.append(initial)
        self.set_reactive(BackendToggle.selected, initial)

    def compose(self) -> ComposeResult:
        yield Label("Backends", id="backend-title")
        for index, choice in enumerate(self.choices):
            yield _Choice(index, choice)

    def on_mount(self) -> None:
        self._render_choices()
        # after the CSS refresh, so the new theme's backend colours are in theme_variables
        self.app.theme_changed_signal.subscribe(self, lambda _: self._render_choices())

    def cycle(self) -> tuple[str, ...]:
        """Select the next choice (wrapping) and return it."""
        index = self.choices.index(self.selected) if self.selected in self.choices else -1
        self.selected = self.choices[(index + 1) % len(self.choices)]
        return self.selected

    def watch_selected(self, selected: tuple[str, ...]) -> None:
        self._render_choices()
        self.post_message(self.Changed(self, selected))

    def _render_choices(self) -> None:
        variables = self.app.theme_variables
        for widget in self.query(_Choice):
            text = Text()
            for i, name in enumerate(widget.choice):
                if i:
                    text.append(" + ")
                text.append(name, style=variables.get(f"backend-{name}", ""))
            if len(widget.choice) > 1:
                text = Text(choice_label(widget.choice, len(self.names)) + " (") + text + ")"
            mark = "● " if widget.choice == self.selected else "○ "
            widget.update(Text(mark) + text)
            widget.set_class(widget.choice == self.selected, "-selected")
