"""Secrets in exported code: read from the environment when the code runs, never copied.

An exported command must run as is, so the environment's variables are filled in;
a secret's value must never leave httpdiff, so while the request is resolved
(``variables.resolve(reference=...)``) each secret becomes a placeholder token, and
the exporters write every token as a read of the environment variable of that name:
``"$TOKEN"`` in a shell command, ``os.environ['TOKEN']`` in Python.

A variable may be called ``my-token`` or ``api.key``, which no shell can set or read
(``export my-token=x`` is an error, and dash drops such names from the environment it
passes on), so such a secret is read from the nearest valid name, ``my_token``, in
the shell command and in Python alike, and a note says so: the person running either
sets one variable, from any shell.

A token is lowercase letters and digits (with a random part, so no request text can
contain one by chance): what an exporter does to a value on the way (joining the
query to the URL, form-encoding it, ``repr``, shell quoting) leaves it intact and
findable in the result. It also records whether the secret sits in a query
parameter, which a send percent-encodes (``outgoing.full_url``): Python code encodes
the value it reads the same way; curl, which cannot encode a shell variable inline,
is given such a parameter with ``--url-query`` (``storage.curl``).
"""

from __future__ import annotations

import re
import shlex
import uuid
from dataclasses import dataclass

_NOT_IN_SHELL_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True, slots=True)
class Reference:
    """One secret in one kind of place: the token standing for it and how to read it."""

    token: str
    name: str
    """The variable; read from the environment variable ``References.environment_name``."""
    query: bool
    """In a query parameter: a send percent-encodes it (``outgoing.full_url``)."""


class References:
    """The secrets of one export: tokens while resolving, reads of the environment after.

    Every literal the exporters write goes through ``python`` or ``shell``; ``used``
    then lists the environment variables the code reads and ``notes`` what it could
    not express exactly.
    """

    def __init__(self) -> None:
        self._nonce = uuid.uuid4().hex[:12]
        self._refs: dict[str, Reference] = {}
        self._pattern: re.Pattern[str] | None = None
        self._used: dict[str, None] = {}
        self._notes: dict[str, None] = {}
        self._environment: dict[str, str] = {}  # secret -> the environment variable read
        self._encodes = False  # python() wrote urllib.parse.quote_plus

    def reference(self, name: str, place: str) -> str:
        """The token for secret ``name`` at ``place`` (as ``variables.substitute`` names it)."""
        query = place.startswith("query parameter")
        for ref in self._refs.values():
            if (ref.name, ref.query) == (name, query):
                return ref.token
        token = f"zsecret{self._nonce}n{len(self._refs)}z"
        self._refs[token] = Reference(token, name, query)
        self._pattern = re.compile("|".join(map(re.escape, self._refs)))
        return token

    def split(self, text: str) -> list[str | Reference]:
        """``text`` as literal pieces and the secrets between them (empty pieces left out)."""
        if self._pattern is None:
            return [text] if text else []
        pieces: list[str | Reference] = []
        start = 0
        for match in self._pattern.finditer(text):
            if match.start() > start:
                pieces.append(text[start:match.start()])
            pieces.append(self._refs[match.group()])
            start = match.end()
        if start < len(text):
            pieces.append(text[start:])
        return pieces

    def found_in(self, *texts: str) -> list[Reference]:
        """The secrets in any of ``texts``."""
        return [p for text in texts for p in self.split(text) if isinstance(p, Reference)]

    def leftover(self, text: str) -> list[str]:
        """Names of secrets whose token is still in ``text`` (an exporter missed it)."""
        if self._pattern is None:
            return []
        return [self._refs[match.group()].name for match in self._pattern.finditer(text)]

    def note(self, text: str) -> None:
        self._notes.setdefault(text)

    def environment_name(self, name: str) -> str:
        """The environment variable secret ``name`` is read from: ``name`` itself if a
        shell can set it, else the nearest valid name not taken by another secret."""
        if name not in self._environment:
            taken = set(self._environment.values()) | {
                ref.name for ref in self._refs.values() if ref.name != name}
            base = _NOT_IN_SHELL_NAME.sub("_", name)
            chosen, n = base, 1
            while chosen in taken:
                n += 1
                chosen = f"{base}_{n}"
            self._environment[name] = chosen
            if chosen != name:
                self.note(f"{{{{{name}}}}} is read from the environment variable {chosen} "
                          f"({name} is not a valid shell variable name)")
        return self._environment[name]

    def _read(self, ref: Reference) -> str:
        env = self.environment_name(ref.name)
        self._used.setdefault(env)
        return env

    @property
    def used(self) -> tuple[str, ...]:
        """The environment variables the exported code reads, in order of first use."""
        return tuple(self._used)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self._notes)

    @property
    def encodes(self) -> bool:
        """Whether ``python`` wrote a percent-encoded read (the script imports urllib)."""
        return self._encodes

    def python(self, text: str) -> str:
        """A Python expression for ``text``: string literals joined to environment reads."""
        parts = []
        for piece in self.split(text):
            if isinstance(piece, str):
                parts.append(repr(piece))
                continue
            read = f"os.environ[{self._read(piece)!r}]"
            if piece.query:
                self._encodes = True
                read = f"urllib.parse.quote_plus({read})"
            parts.append(read)
        return " + ".join(parts) or "''"

    def shell(self, text: str) -> str:
        """One shell word for ``text``: quoted literals joined to environment reads."""
        parts = []
        for piece in self.split(text):
            if isinstance(piece, str):
                parts.append(shlex.quote(piece))
                continue
            parts.append(f'"${self._read(piece)}"')
        return "".join(parts) or "''"


__all__ = ["Reference", "References"]
