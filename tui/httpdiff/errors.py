"""The error tree: problems with the user's input, as opposed to results of a send.

A failed send is never an exception that escapes ``compare``: it becomes a
``model.Failure``. The exceptions here are for input that must be rejected
before anything is sent (a malformed URL, a header with CR/LF), for files that
fail to load, and for unknown names. Each carries one line meant for a person,
and inherits the builtin it resembles so callers can catch either::

    HttpdiffError
    ├── InvalidRequest (ValueError)      bad URL, header, body, auth, option
    ├── LoadError (ValueError)           a file that fails to parse or validate
    ├── UnknownName (KeyError)           unknown backend, request, environment, theme
    └── ConflictError                    a file changed on disk since it was loaded
"""

from __future__ import annotations


class HttpdiffError(Exception):
    """Base of every error httpdiff raises on purpose; ``str()`` is one line for a person."""

    def __str__(self) -> str:
        return " ".join(str(self.args[0]).split()) if self.args else type(self).__name__


class InvalidRequest(HttpdiffError, ValueError):
    """The request cannot be sent as written; nothing was sent."""


class LoadError(HttpdiffError, ValueError):
    """A file failed to load; it names the file and, where known, the field or line."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownName(HttpdiffError, KeyError):
    """A name (backend, request, environment, theme) that is not known."""


class ConflictError(HttpdiffError):
    """A file changed (or appeared, or vanished) on disk since it was read: nothing was written."""
