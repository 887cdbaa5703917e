"""Request authentication: none, basic (user and password) or bearer (a token).

The password and token inputs mask what is typed: screens get shared. Fields of
the kinds not chosen keep their text, so switching kind back and forth loses nothing.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from httpdiff.model import Auth

KINDS = (("none", "none"), ("basic", "basic"), ("bearer token", "bearer"))


class AuthEditor(Vertical):
    """Edits an ``Auth``; ``auth`` reads it, ``load`` fills the fields from one."""

    DEFAULT_CSS = """
    AuthEditor {
        height: auto;
        Horizontal { height: 1; margin-bottom: 1; }
        Label { width: 10; }
        #auth-kind { width: 18; }
        Input { width: 1fr; }
        .-basic, .-bearer { display: none; }
        &.-show-basic .-basic { display: block; }
        &.-show-bearer .-bearer { display: block; }
    }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("Kind")
            yield Select([(label, kind) for label, kind in KINDS], value="none",
                         allow_blank=False, compact=True, id="auth-kind")
        with Horizontal(classes="-basic"):
            yield Label("User")
            yield Input(placeholder="user name", compact=True, id="auth-user")
        with Horizontal(classes="-basic"):
            yield Label("Password")
            yield Input(placeholder="password", password=True, compact=True, id="auth-password")
        with Horizontal(classes="-bearer"):
            yield Label("Token")
            yield Input(placeholder="token", password=True, compact=True, id="auth-token")

    @property
    def auth(self) -> Auth:
        kind = self.query_one("#auth-kind", Select).value
        if kind == "basic":
            return Auth(kind="basic", username=self.query_one("#auth-user", Input).value,
                        password=self.query_one("#auth-password", Input).value)
        if kind == "bearer":
            return Auth(kind="bearer", token=self.query_one("#auth-token", Input).value.strip())
        return Auth()

    def load(self, auth: Auth) -> None:
        self.query_one("#auth-kind", Select).value = auth.kind
        self.query_one("#auth-user", Input).value = auth.username
        self.query_one("#auth-password", Input).value = auth.password
        self.query_one("#auth-token", Input).value = auth.token
        self._show(auth.kind)

    def _show(self, kind: object) -> None:
        self.set_class(kind == "basic", "-show-basic")
        self.set_class(kind == "bearer", "-show-bearer")

    @on(Select.Changed, "#auth-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show(event.value)
