"""Small modal dialogs: a question with a few answers, a name prompt, a read-only text.

Each dismisses with a plain value (the answer's id, the name, or ``None`` for
cancel) so the caller reads one ``await push_screen_wait(...)`` and never deals
with widgets. Escape always means cancel, so nothing is lost by a stray key.
Messages, names and texts can hold file names and server or file text: they go
in as ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.widgets.input import Selection

_DIALOG_CSS = """
{name} {{
    align: center middle;
    background: $background 60%;
    #dialog {{
        width: 72;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: thick $primary 60%;
        background: $surface;
        padding: 1 2;
    }}
    #dialog-message {{ margin-bottom: 1; }}
    #dialog-buttons {{ height: auto; align-horizontal: right; margin-top: 1; }}
    #dialog-buttons Button {{ margin-left: 1; }}
    #dialog-error {{ color: $error; height: auto; }}
}}
"""


class ChoiceScreen(ModalScreen[str]):
    """A question and a row of buttons; dismisses with the chosen id, or ``cancel_id``."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ChoiceScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, title: str, message: str, choices: Sequence[tuple[str, str]],
                 *, cancel_id: str = "cancel", focus: str | None = None) -> None:
        super().__init__()
        self._focus = focus  # the button focused at first (a destructive one should not be)
        self._title = title
        self._message = message
        self._choices = list(choices)
        self.cancel_id = cancel_id

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self._title
            yield Static(Text(self._message), id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                for index, (choice_id, label) in enumerate(self._choices):
                    yield Button(label, id=f"choice-{choice_id}", compact=True,
                                 variant="primary" if index == 0 else "default")

    def on_mount(self) -> None:
        if self._focus is not None:
            self.query_one(f"#choice-{self._focus}", Button).focus()
        else:
            self.query_one(Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_id)


class NamePrompt(ModalScreen[str | None]):
    """One line of text (a request name, ``group/name`` or a folder); ``None`` on cancel.

    A pre-filled ``group/name`` keeps its folder: only the part after the last ``/``
    is selected (nothing, after a bare ``group/``), so typing replaces the name and
    never the folder; ``select_all`` selects everything (a folder to move to).
    With ``attempt``, the dialog closes only once ``attempt(name)`` has worked, and
    with what it returned; one of ``refusals`` (a name taken, or one the collection
    cannot hold) is shown under the field, the text kept for a fix.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="NamePrompt")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, message: str, value: str = "", *,
                 placeholder: str = "", select_all: bool = False,
                 attempt: Callable[[str], str] | None = None,
                 refusals: tuple[type[Exception], ...] = ()) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._value = value
        self._placeholder = placeholder
        self._select_from = 0 if select_all else value.rfind("/") + 1
        self._attempt = attempt
        self._refusals = refusals

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self._title
            yield Label(Text(self._message), id="dialog-message")
            yield Input(self._value, placeholder=self._placeholder, id="dialog-input",
                        select_on_focus=False)
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("OK", id="dialog-ok", compact=True, variant="primary")
                yield Button("Cancel", id="dialog-cancel", compact=True)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.selection = Selection(self._select_from, len(self._value))

    def show_error(self, reason: str) -> None:
        self.query_one("#dialog-error", Static).update(Text("✗ " + reason))

    @on(Input.Changed)
    def _edited(self) -> None:  # the reason was about the text before this edit
        self.query_one("#dialog-error", Static).update("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#dialog-ok")
    def _accept(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        value = self.query_one(Input).value.strip()
        if not value:
            self.show_error("a name is needed")
            return
        if self._attempt is not None:
            try:
                value = self._attempt(value)
            except self._refusals as exc:
                self.show_error(str(exc))
                return
        self.dismiss(value)

    @on(Button.Pressed, "#dialog-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """A read-only text in a scrollable box (the resolved request); any of Esc/q closes it."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="TextScreen") + """
    TextScreen #dialog { width: 100; }
    TextScreen #dialog-text { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, title: str, text: Text) -> None:
        super().__init__()
        self._title = title
        self._text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = self._title
            yield Static(self._text, id="dialog-text")

    def on_mount(self) -> None:
        self.query_one("#dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
