"""The open collection as the app sees it: which request is open, is it edited, which environment.

Pure logic over ``httpdiff.storage`` (no Textual), so the rules that keep a user's
work safe are tested without a screen:

- "dirty" is the editor's request compared with a *baseline*: what the editor
  itself produced right after loading the file (the editor normalises a little,
  e.g. query parameters join the URL), so loading never counts as an edit;
- every save passes the fingerprint taken at load, so a file changed on disk by
  someone else raises ``ConflictError`` instead of being overwritten;
- requests are sent resolved (environment, then secrets; relative paths anchored
  at the collection) but stored and shown unresolved or masked, and copied as code
  resolved the same way except for secrets, which the code reads from the environment;
- noise rules marked in the app go into the collection's ``noise.yaml``, applied to
  the file as it is on disk at that moment (someone else's edit is kept), and a
  ``noise.yaml`` that does not load is never rewritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from httpdiff.errors import ConflictError, InvalidRequest, LoadError, UnknownName
from httpdiff.model import RequestSpec
from httpdiff.noise import NoiseRule, NoiseRules
from httpdiff.storage import collection as store
from httpdiff.storage import variables as var
from httpdiff.storage.collection import Collection, Entry
from httpdiff.storage.environment import ENVIRONMENTS_DIR, load_environment, secrets_for
from httpdiff.storage.exporters import ExportedRequest, export_request


@dataclass(frozen=True, slots=True)
class Resolved:
    """A request ready to send and the strings that would reveal its secrets."""

    spec: RequestSpec
    secrets: tuple[str, ...]


class CollectionState:
    """One collection folder, the request open from it and the chosen environment."""

    def __init__(self, root: Path, env: str | None = None) -> None:
        self.root = root
        self.collection: Collection = store.load_collection(root)
        self.current: str | None = None  # identity of the open request; None: unsaved
        self.baseline: RequestSpec | None = None  # the editor's spec when last loaded/saved
        self.env: str | None = None
        self.variables: dict[str, str] = {}
        self.env_error: str | None = None
        self.set_env(env)

    # -- reading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the folder again (after any change, ours or someone else's)."""
        self.collection = store.load_collection(self.root)
        if self.current is not None and not self._has(self.current):
            self.current = None

    def _has(self, relative: str) -> bool:
        return any(e.relative == relative for e in self.collection.entries)

    def entry(self, relative: str) -> Entry:
        return self.collection.get(relative)

    @property
    def current_entry(self) -> Entry | None:
        return self.entry(self.current) if self.current and self._has(self.current) else None

    def folders(self) -> tuple[str, ...]:
        """Every group folder, empty ones too (a new folder has no requests yet), sorted."""
        found = set(self.collection.groups)
        for folder, dirs, _files in os.walk(self.root):
            here = Path(folder)
            dirs[:] = [d for d in dirs if not d.startswith(".")
                       and not (here == self.root and d == ENVIRONMENTS_DIR)]
            for name in dirs:
                found.add((here / name).relative_to(self.root).as_posix())
        return tuple(sorted(found - {""}, key=lambda g: [p.casefold() for p in g.split("/")]))

    def spec_of(self, relative: str) -> RequestSpec:
        """The request of an entry, named after its file (its identity)."""
        entry = self.entry(relative)
        if entry.spec is None:
            raise LoadError(str(entry.path), entry.error or "cannot be read")
        return replace(entry.spec, name=entry.name)

    def changed_on_disk(self) -> bool:
        """Whether the open request's file changed since it was read."""
        entry = self.current_entry
        return entry is not None and store.changed_on_disk(entry)

    # -- the open request and its edits -------------------------------------------------

    def opened(self, relative: str | None, baseline: RequestSpec) -> None:
        """The editor now shows ``relative`` (None: an unsaved request) as ``baseline``."""
        self.current = relative
        self.baseline = baseline

    def is_dirty(self, spec: RequestSpec | None) -> bool:
        """Whether the editor's request (None: unreadable, e.g. a bad number) differs."""
        return spec is None or self.baseline is None or spec != self.baseline

    # -- writing (each returns the identity written; the caller reloads the view) -------

    def save(self, spec: RequestSpec, *, force: bool = False) -> str:
        """Write the open request; ``ConflictError`` if its file changed on disk (unless
        ``force``). With no open request, ``UnknownName``: the caller asks for a name."""
        entry = self.current_entry
        if self.current is None or entry is None:
            raise UnknownName("this request has no file yet")
        store.save_request(self.root, self.current, spec,
                           expected=None if force else entry.fingerprint)
        self.reload()
        self.baseline = spec
        return self.current

    def save_as(self, relative: str, spec: RequestSpec) -> str:
        """Write ``spec`` as a new request (``ConflictError`` if the name is taken) and open it."""
        path = _unless_taken(relative, lambda: store.create_request(self.root, relative, spec))
        self.reload()
        self.current = self._identity(path)
        self.baseline = spec
        return self.current

    def create(self, relative: str) -> str:
        """A new, blank request file (``ConflictError`` if the name is taken)."""
        path = _unless_taken(
            relative, lambda: store.create_request(self.root, relative, RequestSpec()))
        self.reload()
        return self._identity(path)

    def rename(self, relative: str, new_name: str) -> str:
        new_name = new_name.strip()
        group = self.entry(relative).group
        target = f"{group}/{new_name}" if group else new_name
        return self._moved(relative, _unless_taken(
            target, lambda: store.rename_request(self.root, relative, new_name)))

    def move(self, relative: str, group: str) -> str:
        group, name = group.strip().strip("/"), self.entry(relative).name
        target = f"{group}/{name}" if group else name
        return self._moved(relative, _unless_taken(
            target, lambda: store.move_request(self.root, relative, group)))

    def duplicate(self, relative: str) -> str:
        path = store.duplicate_request(self.root, relative)
        self.reload()
        return self._identity(path)

    def delete(self, relative: str) -> None:
        store.delete_request(self.root, relative, expected=self.entry(relative).fingerprint)
        if self.current == relative:
            self.current = None
        self.reload()

    def new_folder(self, group: str) -> str:
        """An empty folder; ``ConflictError`` if it is there already (nothing would change)."""
        group = store.request_id(group.strip().strip("/"))  # InvalidRequest for a bad name
        if self.root.joinpath(*group.split("/")).exists():
            raise ConflictError(f"{group}/ already exists")
        path = store.create_group(self.root, group)
        return path.relative_to(self.root).as_posix()

    def _moved(self, old: str, path: Path) -> str:
        new = self._identity(path)
        if self.current == old:
            self.current = new
        self.reload()
        return new

    def _identity(self, path: Path) -> str:
        return path.relative_to(self.root).with_suffix("").as_posix()

    # -- noise rules --------------------------------------------------------------------

    @property
    def noise(self) -> NoiseRules:
        """The collection's rules (the defaults when ``noise.yaml`` is missing or broken)."""
        return self.collection.rules

    @property
    def noise_error(self) -> str | None:
        """Why ``noise.yaml`` did not load, naming the file; None when it loaded."""
        error = self.collection.rules_error
        return str(LoadError(str(self.root / store.NOISE_FILE), error)) if error else None

    def set_noise_rule(self, rule: NoiseRule, marked: bool) -> NoiseRules:
        """Add ``rule`` to ``noise.yaml`` (or remove it) and return the collection's rules.

        ``LoadError`` when the file, read again now, does not load: it is left as it is.
        """
        rules, error = store.load_noise(self.root)
        if error is not None:
            raise LoadError(str(self.root / store.NOISE_FILE), error)
        rules = rules.with_rule(rule) if marked else rules.without_rule(rule)
        store.save_noise_rules(self.root, rules)
        self.collection = replace(self.collection, rules=rules, rules_error=None)
        return rules

    # -- environments -------------------------------------------------------------------

    @property
    def environments(self) -> tuple[str, ...]:
        return self.collection.environments

    def set_env(self, name: str | None) -> None:
        """Choose an environment (None: none). A bad one leaves no variables and says why."""
        self.env, self.variables, self.env_error = name, {}, None
        if name is None:
            return
        try:
            self.variables = load_environment(self.root, name)
        except (LoadError, UnknownName) as exc:
            self.env_error = str(exc)

    def secrets(self, *, strict: bool = True) -> dict[str, str]:
        """The collection's ``.env`` then the process environment. A broken ``.env`` is an
        ``InvalidRequest`` when sending (``strict``); for display, the process alone."""
        try:
            return secrets_for(self.root)
        except LoadError as exc:
            if strict:
                raise InvalidRequest(str(exc)) from None
            return dict(os.environ)

    def resolve(self, spec: RequestSpec) -> Resolved:
        """The request to send; ``InvalidRequest`` names an undefined variable."""
        secrets = self.secrets()
        sent = var.resolve(spec, self.variables, secrets)
        forms = var.secret_values(spec, self.variables, secrets) + var.credential_values(sent)
        return Resolved(store.anchor_paths(self.root, sent), forms)

    def export(self, spec: RequestSpec, exporter: str) -> ExportedRequest:
        """``spec`` as a command or script that runs as is: resolved as ``resolve`` does,
        secrets read from the environment; ``InvalidRequest`` names an undefined variable."""
        return export_request(spec, exporter, self.variables, self.secrets(), root=self.root)

    def masked(self, spec: RequestSpec) -> RequestSpec:
        """The request for display: variables filled in, secrets as ``•••``."""
        return var.masked(spec, self.variables, self.secrets(strict=False))


def _unless_taken(target: str, place: Callable[[], Path]) -> Path:
    """``place()``, a name already taken reported by its identity rather than a long path."""
    try:
        return place()
    except ConflictError:  # the target is valid: the store checks the name before placing
        raise ConflictError(f"{store.request_id(target)} already exists") from None


__all__ = ["CollectionState", "Resolved"]
