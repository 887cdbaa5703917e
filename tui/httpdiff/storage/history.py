"""History: every comparison kept in a small SQLite file, newest first, bounded.

Each row holds the request as its collection YAML (``request_to_yaml``) with
``{{variables}}`` unresolved, the comparison document the caller built with
``report.comparison_document`` (storage sits below ``report`` and cannot build
it), and the time. Secrets never reach the file: the request is stored
unresolved, and every string of the document is redacted with the secret
forms the caller passes (``variables.secret_values``) and of the credentials
written into the request itself (``variables.credential_values``: ``-u``, a
password in the URL), which the list's URL column shows masked too;
Authorization-like headers are masked whatever their source. The request YAML
keeps a credential written into the request as it was written, since reopening
must be able to send it again; a secret from ``.env`` is never in it.

The file stays small: only the newest ``limit`` rows are kept, and a document
larger than ``max_document_bytes`` has its long strings cut (then, if still too
large, its headers and findings' values dropped) and is marked ``"truncated"``.
A connection is opened per call, so the app's worker threads can share one
``History`` object.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from httpdiff.errors import LoadError, UnknownName
from httpdiff.model import RequestSpec
from httpdiff.storage import paths
from httpdiff.storage.request_file import request_from_yaml, request_to_yaml
from httpdiff.storage.variables import MASK, credential_values, redact, redact_document

DEFAULT_LIMIT = 1000
DEFAULT_MAX_DOCUMENT_BYTES = 256 * 1024
_LONG_STRING = 2048
_SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS comparisons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    name TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    equivalent INTEGER,
    request_yaml TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comparisons_created ON comparisons (created DESC, id DESC);
"""


def history_path() -> Path:
    return paths.data_dir() / "history.sqlite3"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row, without its (possibly large) document: what a history list shows."""

    id: int
    created: float
    name: str
    method: str
    url: str
    equivalent: bool | None


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    entry: HistoryEntry
    request_yaml: str
    document: dict[str, Any]

    def request(self) -> RequestSpec:
        """The request as it was sent, variables still unresolved, ready to send again."""
        spec = request_from_yaml(self.request_yaml, f"history #{self.entry.id}")
        return replace(spec, name=self.entry.name)


def _mask_sensitive(doc: Any) -> Any:
    """Mask Authorization/Cookie header values anywhere in a document."""
    if isinstance(doc, dict):
        out = {k: _mask_sensitive(v) for k, v in doc.items()}
        subject = out.get("subject")
        if isinstance(subject, str) and subject.lower() in _SENSITIVE_HEADERS and isinstance(
            out.get("values"), dict
        ):
            out["values"] = {k: None if v is None else MASK for k, v in out["values"].items()}
        return out
    if isinstance(doc, list):
        if (len(doc) == 2 and isinstance(doc[0], str) and isinstance(doc[1], str)
                and doc[0].lower() in _SENSITIVE_HEADERS):
            return [doc[0], MASK]
        return [_mask_sensitive(item) for item in doc]
    return doc


def _cut_strings(doc: Any, limit: int) -> Any:
    if isinstance(doc, str):
        return doc if len(doc) <= limit else doc[:limit] + f"… ({len(doc) - limit} more)"
    if isinstance(doc, dict):
        return {k: _cut_strings(v, limit) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_cut_strings(item, limit) for item in doc]
    return doc


def _encode(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, default=str, separators=(",", ":"))


def shrink(doc: dict[str, Any], max_bytes: int) -> str:
    """The document as JSON no larger than ``max_bytes`` (cut step by step, marked)."""
    text = _encode(doc)
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    cut = dict(_cut_strings(doc, _LONG_STRING), truncated=True)
    text = _encode(cut)
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    # Still too big (thousands of headers or findings): keep the verdict and the shape.
    slim: dict[str, Any] = {
        "request": cut.get("request"),
        "equivalent": cut.get("equivalent"),
        "results": {
            name: {k: v for k, v in result.items() if k not in ("headers", "request")}
            for name, result in (cut.get("results") or {}).items()
            if isinstance(result, dict)
        },
        "findings": [
            {k: v for k, v in f.items() if k != "values"}
            for f in (cut.get("findings") or [])[:200] if isinstance(f, dict)
        ],
        "truncated": True,
    }
    text = _encode(_cut_strings(slim, 200))
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    return _encode({"equivalent": cut.get("equivalent"), "truncated": True})


class History:
    """The history file; every method opens and closes its own connection."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ) -> None:
        self.path = path or history_path()
        self.limit = limit
        self.max_document_bytes = max_document_bytes

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=5)) as conn, conn:
                conn.executescript(_SCHEMA)
                yield conn
        except sqlite3.DatabaseError as exc:
            raise LoadError(str(self.path), f"history database: {exc}") from None
        except OSError as exc:  # the data dir cannot be created or written
            raise LoadError(str(self.path), f"history: {exc.strerror or exc}") from None

    def record(
        self,
        spec: RequestSpec,
        document: dict[str, Any],
        *,
        secrets: tuple[str, ...] = (),
        created: float | None = None,
    ) -> int:
        """Keep one comparison; returns its id. ``spec`` must be the *unresolved* request."""
        forms = tuple(dict.fromkeys((*secrets, *credential_values(spec))))
        clean = _mask_sensitive(redact_document(document, forms))
        equivalent = clean.get("equivalent")
        row = (
            time.time() if created is None else created,
            spec.name,
            spec.method,
            redact(spec.url, forms),
            None if equivalent is None else int(bool(equivalent)),
            request_to_yaml(spec),
            shrink(clean, self.max_document_bytes),
        )
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO comparisons (created, name, method, url, equivalent, request_yaml,"
                " document) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            new_id = int(cursor.lastrowid or 0)
            conn.execute(
                "DELETE FROM comparisons WHERE id NOT IN (SELECT id FROM comparisons"
                " ORDER BY created DESC, id DESC LIMIT ?)",
                (self.limit,),
            )
        return new_id

    def entries(self, limit: int = 100, offset: int = 0) -> list[HistoryEntry]:
        """The newest entries first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created, name, method, url, equivalent FROM comparisons"
                " ORDER BY created DESC, id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [_entry(row) for row in rows]

    def get(self, entry_id: int) -> HistoryRecord:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, created, name, method, url, equivalent, request_yaml, document"
                " FROM comparisons WHERE id = ?",
                (entry_id,),
            ).fetchone()
        if row is None:
            raise UnknownName(f"no history entry #{entry_id}")
        try:
            document = json.loads(row[7])
        except ValueError:
            raise LoadError(str(self.path), f"history entry #{entry_id} is damaged") from None
        return HistoryRecord(_entry(row[:6]), row[6], document)

    def reopen(self, entry_id: int) -> RequestSpec:
        """The request of one entry as a ``RequestSpec`` (variables unresolved)."""
        return self.get(entry_id).request()

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM comparisons").fetchone()[0])

    def clear(self) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM comparisons")


def _entry(row: tuple[Any, ...]) -> HistoryEntry:
    equivalent = row[5]
    return HistoryEntry(
        id=int(row[0]), created=float(row[1]), name=str(row[2]), method=str(row[3]),
        url=str(row[4]), equivalent=None if equivalent is None else bool(equivalent),
    )
