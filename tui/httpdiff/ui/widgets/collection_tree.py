"""The sidebar: the open collection as a tree (groups as folders, requests as leaves).

It only shows and reports: selecting a request posts ``Opened`` with its
identity, a broken file posts ``BrokenPicked`` (its reason is shown, the file is
never touched), and the app's collection actions do the work. Keys for those
actions live here, pointing at the app (``app.rename_request``...), so the
footer offers them while the tree has focus. Labels are ``Text``: names come
from file names and methods from files.

In a narrow terminal the app's stylesheet hides the tree, and shows it over the
editor only while it has focus (``overlaid``): every key here then acts on what
is on screen. Escape closes it there (``Closed``; elsewhere Escape keeps the
app's meaning, cancelling a send).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from httpdiff.storage.collection import Entry
from httpdiff.ui.render import THEME_DEFAULTS, color

DIRTY = " ●"


@dataclass(frozen=True, slots=True)
class Node:
    """What a tree node stands for: a folder (``entry`` None) or a request file."""

    group: str
    entry: Entry | None = None


def entry_label(
    entry: Entry, *, dirty: bool = False, palette: Mapping[str, str] = THEME_DEFAULTS
) -> Text:
    if entry.spec is None:
        error = color(palette, "status-error")
        label = Text("✗ ", style=f"bold {error}")
        label.append(entry.path.name, style=error)
        label.append(" — " + (entry.error or "").partition("\n")[0], style="dim")
        return label
    label = Text(f"{entry.spec.method:<6} ", style="bold")
    label.append(entry.name)
    if dirty:
        label.append(DIRTY, style=f"bold {color(palette, 'diff-changed')}")
    return label


class CollectionTree(Tree[Node]):
    """Requests of a collection by folder; Enter or a click opens one."""

    # a broken file's reason can be long: it is cut at the edge (Enter shows all of it)
    DEFAULT_CSS = """
    CollectionTree {
        overflow-x: hidden;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.new_request", "New", id="tree-new-request"),
        Binding("r", "app.rename_request", "Rename", id="rename-request"),
        Binding("d", "app.duplicate_request", "Duplicate", id="duplicate-request"),
        Binding("m", "app.move_request", "Move", id="move-request"),
        Binding("f", "app.new_folder", "New folder", id="new-folder"),
        Binding("delete", "app.delete_request", "Delete", id="delete-request"),
        Binding("escape", "close", "Close", id="close-requests", show=False),
    ]

    class Opened(Message):
        """The user picked the request ``relative`` (its identity, ``group/name``)."""

        def __init__(self, relative: str) -> None:
            super().__init__()
            self.relative = relative

    class BrokenPicked(Message):
        """The user picked a file that failed to load."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class Closed(Message):
        """The user closed the tree shown over the editor (focus should go back)."""

    def __init__(self, title: str = "Collection", *, id: str | None = None) -> None:
        super().__init__(Text(title), Node(""), id=id)
        self.show_root = False
        self.guide_depth = 2
        self.border_title = title
        self.dirty: str | None = None
        self._entries: dict[str, TreeNode[Node]] = {}
        self._folders: dict[str, TreeNode[Node]] = {}

    def show(self, folders: tuple[str, ...], entries: tuple[Entry, ...],
             *, current: str | None = None, dirty: bool = False) -> None:
        """Rebuild from the collection, keeping expanded folders and the cursor's request."""
        expanded = {n.data.group for n in self._all() if n.data and n.is_expanded}
        first = not self._entries and not expanded
        self.clear()
        self._entries, self._folders = {}, {}
        self.dirty = current if dirty else None
        # In each folder its requests come first, then its sub-folders: the order of the
        # collection's entries (storage's sort), so the request opened at start is at the top.
        known = {"", *folders}
        requests: dict[str, list[Entry]] = {}
        for entry in entries:  # a request in a folder not listed goes at the top
            requests.setdefault(entry.group if entry.group in known else "", []).append(entry)
        subfolders: dict[str, list[str]] = {}
        for group in folders:
            parent = group.rpartition("/")[0]
            subfolders.setdefault(parent if parent in known else "", []).append(group)

        def fill(node: TreeNode[Node], group: str) -> None:
            for entry in requests.get(group, ()):
                self._entries[entry.relative] = node.add_leaf(
                    entry_label(entry, dirty=entry.relative == self.dirty,
                                palette=self.app.theme_variables), Node(entry.group, entry))
            for sub in subfolders.get(group, ()):
                self._folders[sub] = node.add(Text(sub.rpartition("/")[2] + "/", style="bold"),
                                              Node(sub), expand=first or sub in expanded)
                fill(self._folders[sub], sub)

        fill(self.root, "")
        self.root.expand()
        # laid out now, not at the next paint (a hidden tree is not painted): till then the
        # cursor would stay on a node of the old tree, maybe a request just deleted
        _ = self.last_line
        if current is not None:
            self.reveal(current)

    def _all(self) -> list[TreeNode[Node]]:
        found: list[TreeNode[Node]] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.children)
        return found

    def reveal(self, relative: str, *, folder: bool = False) -> None:
        """Expand the folders above a request (or a ``folder``) and put the cursor on it."""
        node = (self._folders if folder else self._entries).get(relative)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        # once the lines are laid out again; by name, as a rebuild in between makes new nodes
        self.call_after_refresh(self._cursor_to, relative, folder)

    def _cursor_to(self, relative: str, folder: bool) -> None:
        node = (self._folders if folder else self._entries).get(relative)
        # ``last_line`` lays the lines out if they are stale, so ``node.line`` is current
        if node is not None and self.last_line >= 0 and node.line >= 0:
            self.move_cursor(node)

    def mark_dirty(self, relative: str | None) -> None:
        """Show (or clear) the unsaved-changes dot on one request, without a rebuild."""
        if relative == self.dirty:
            return
        for name in (self.dirty, relative):
            node = self._entries.get(name or "")
            if node is not None and node.data is not None and node.data.entry is not None:
                node.set_label(entry_label(node.data.entry, dirty=name == relative,
                                           palette=self.app.theme_variables))
        self.dirty = relative

    @property
    def overlaid(self) -> bool:
        """Whether the tree is shown over the editor (a narrow terminal, while focused)."""
        return self.styles.overlay == "screen"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":  # else Escape goes on to the app (cancel a send)
            return self.overlaid
        return super().check_action(action, parameters)

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def on_focus(self) -> None:
        # a hidden tree's cursor moved without scrolling it: show it once laid out
        self.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        if self.cursor_node is not None:
            self.scroll_to_node(self.cursor_node, animate=False)

    @property
    def cursor_entry(self) -> Entry | None:
        node = self.cursor_node
        return node.data.entry if node is not None and node.data is not None else None

    @property
    def cursor_group(self) -> str:
        """The folder under the cursor (a request's own folder), ``""`` at the top."""
        node = self.cursor_node
        return node.data.group if node is not None and node.data is not None else ""

    def on_tree_node_selected(self, event: Tree.NodeSelected[Node]) -> None:
        event.stop()
        data = event.node.data
        if data is None or data.entry is None:
            return
        if data.entry.spec is None:
            self.post_message(self.BrokenPicked(data.entry))
        else:
            self.post_message(self.Opened(data.entry.relative))
