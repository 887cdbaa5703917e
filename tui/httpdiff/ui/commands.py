"""The command palette's httpdiff commands: every app key, by its binding id, and the requests.

Textual's palette lists only system commands by default; this provider adds one
entry per httpdiff binding (so everything the footer offers can also be found
by name) and one per request in the sidebar ("Open: ..."). Titles and help go in
as plain ``Content`` / escaped text: request names and URLs are the user's data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from httpdiff.ui.widgets.collection_tree import CollectionTree

if TYPE_CHECKING:
    from httpdiff.ui.app import HttpdiffApp

# binding id -> (palette title, help). Titles read as actions.
COMMANDS: dict[str, tuple[str, str]] = {
    "send": ("Send request", "Send the request through the chosen backends"),
    "cancel": ("Cancel send", "Cancel the send in flight"),
    "focus-url": ("Focus URL", "Move the cursor to the URL bar"),
    "focus-editor": ("Focus request editor", "Move focus to the request editor"),
    "focus-responses": ("Show responses", "Show and focus the response panes"),
    "focus-diff": ("Show diff", "Show and focus the diff view"),
    "maximize-response-pane": ("Maximise pane", "Maximise or restore the focused response pane"),
    "cycle-backends": ("Cycle backends", "Switch between httpx, aiohttp and both"),
    "copy-curl": ("Copy as curl", "Copy the request as a curl command"),
    "bench": ("Show bench", "Time the request many times per backend (timing lab)"),
    "save-request": ("Save request", "Save the request to its file in the collection"),
    "save-request-as": ("Save request as", "Save the request under a new name"),
    "new-request": ("New request", "Create an empty request in the collection"),
    "rename-request": ("Rename request", "Rename the request's file"),
    "duplicate-request": ("Duplicate request", "Copy the request to NAME-copy"),
    "move-request": ("Move request", "Move the request to another folder"),
    "delete-request": ("Delete request", "Delete the request's file (asks first)"),
    "new-folder": ("New folder", "Create a folder in the collection"),
    "focus-collection": ("Focus requests", "Move focus to the collection's request tree"),
    "history": ("Show history", "Past comparisons; Enter reopens one"),
    "show-resolved": ("Show resolved request", "The request with variables filled in, "
                      "secrets masked"),
}


def _runner(app: App[Any], action: str) -> Callable[[], object]:
    async def run() -> None:
        await app.run_action(action)

    return run


class HttpdiffCommands(Provider):
    """Commands for the app's own actions and requests."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("HttpdiffApp", self.app)
        found: list[tuple[str, str, Callable[[], object]]] = []
        # the app's own bindings, its base classes' (collection actions) and the sidebar's
        bindings = [b for cls in type(app).__mro__ for b in cls.__dict__.get("BINDINGS", ())]
        for binding in [*bindings, *CollectionTree.BINDINGS]:
            if isinstance(binding, Binding) and binding.id in COMMANDS:
                title, help_text = COMMANDS[binding.id]
                keys = app.get_key_display(binding)
                found.append((title, f"{help_text} ({keys})", _runner(app, binding.action)))
        for spec in app.requests:
            label = spec.name or spec.url
            found.append((f"Open: {label}", f"{spec.method} {spec.url}",
                          functools.partial(app.open_request, spec)))
        state = app.collection_state
        for env in [None, *state.environments] if state is not None else ():
            found.append((f"Use environment: {env or 'none'}", "Fill {{variables}} from it",
                          functools.partial(app.choose_environment, env)))
        for entry in state.collection.entries if state is not None else ():
            if entry.spec is not None:
                found.append((f"Open: {entry.relative}", f"{entry.spec.method} {entry.spec.url}",
                              functools.partial(app.open_entry, entry.relative)))
        return found

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                # Content, not the matcher's highlight: that parses the title as markup,
                # and a request name may come from a file
                yield Hit(score, Content(title), callback, text=title, help=escape(help_text))
