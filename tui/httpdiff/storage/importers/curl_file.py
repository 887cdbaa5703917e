"""A file of curl commands to requests, one request per command.

Commands are split as a shell would (``storage.shell_words``): a newline ends a
command unless it is escaped with a trailing backslash or inside quotes, a line
starting with ``curl`` always starts a new one, and ``#`` comments are skipped. Each
command is read on its own, so a flag from one never leaks into the next; a command
that cannot be read (not curl, no URL, a shell pipe or substitution...) becomes a note
naming its line, and the rest are imported. Only when no command can be read is the
file a ``LoadError``, naming the first problem.

The same checks as the other importers apply to what a command carries (methods,
header names, control characters in URLs, headers and parameters), so a pasted
``-H $'X: \\e[2J'`` is refused here too instead of landing in a YAML file.
"""

from __future__ import annotations

from httpdiff.errors import InvalidRequest, LoadError
from httpdiff.model import RequestSpec
from httpdiff.storage.importers.common import (
    ImportResult,
    check_header_name,
    check_line,
    check_method,
    request_path_from_url,
)
from httpdiff.storage.shell_words import ShellCommand, split_commands

_SHOWN = 60


def _checked(spec: RequestSpec, source: str, place: str) -> RequestSpec:
    """``spec`` if its method, URL, headers, params and proxy pass the importers' checks."""
    check_method(spec.method, source, f"{place}: -X")
    check_line(spec.url, source, f"{place}: the URL")
    for name, value in spec.headers:
        check_header_name(name, source, f"{place}: header")
        check_line(value, source, f"{place}: header {name[:40]!r}")
    for name, value in spec.params:
        check_line(name + value, source, f"{place}: query parameter {name[:40]!r}")
    check_line(spec.options.proxy, source, f"{place}: --proxy")
    return spec


def _shown(command: ShellCommand) -> str:
    text = " ".join(command.text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _read(command: ShellCommand, source: str) -> tuple[RequestSpec, list[str]]:
    """One command as a request and its notes; raises ``LoadError`` naming the line."""
    from httpdiff.storage.curl import parse_curl_command

    place = f"line {command.line}"
    try:
        parsed = parse_curl_command(command)
    except InvalidRequest as exc:
        raise LoadError(source, f"{place}: {exc}") from exc
    return _checked(parsed.spec, source, place), parsed.notes


def import_curl(text: str, source: str = "<curl>") -> ImportResult:
    """Every curl command in ``text`` as its own request; unreadable ones are notes."""
    commands = split_commands(text)
    if not commands:
        raise LoadError(source, "line 1: no curl command found")
    result = ImportResult()
    problems: list[LoadError] = []
    for command in commands:
        try:
            spec, notes = _read(command, source)
        except LoadError as exc:
            problems.append(exc)
            result.notes.append(f"{exc.path} {exc.reason}; command left out: "
                                f"{_shown(command)}")
            continue
        result.notes.extend(f"{source} line {command.line}: {note}" for note in notes)
        result.add(request_path_from_url(spec.method, spec.url), spec,
                   f"{source} line {command.line}")
    if not result.requests:
        raise problems[0]
    return result

__all__ = ["import_curl"]
