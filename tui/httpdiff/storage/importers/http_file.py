"""``.http`` / ``.rest`` files (JetBrains HTTP Client, VS Code REST Client) to requests.

Both tools share one plain-text shape: requests separated by ``###`` lines, an optional
name (``### name`` or a ``# @name name`` comment), a request line ``METHOD URL
[HTTP/1.1]`` (optionally continued by ``?a=1`` / ``&b=2`` lines), header lines, a blank
line, then the body. File-level ``@var = value`` lines become the "default" environment
and ``{{var}}`` references are kept as written, since httpdiff uses the same syntax. A
JetBrains ``http-client.env.json`` beside the file gives further environments. A
request that cannot be read becomes a note naming its line; the rest are imported.

Both tools follow redirects unless told not to (``# @no-redirect``), so imported
requests do too: an import should reproduce what the tool sent. Things neither format
can hand over (response handler scripts, dynamic ``{{$guid}}`` variables, request
chaining through ``{{name.response...}}``) are listed in the notes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body, Header, Options, RequestSpec
from httpdiff.storage.importers.common import (
    ImportResult,
    check_header_name,
    check_line,
    check_method,
    request_path_from_url,
    settle_content_type,
    slug,
    type_name,
    variables_in,
)

_KNOWN_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
                  "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
                  "UNLOCK", "QUERY")
_VERSION = re.compile(r"^HTTP/(\d(?:\.\d)?)$", re.IGNORECASE)
_DEFINITION = re.compile(r"^@([A-Za-z_][\w.-]*)\s*=\s*(.*)$")
_META = re.compile(r"^(?:#|//)\s*@([\w-]+)\s*=?\s*(.*)$")


@dataclass
class _Block:
    """The lines of one request, between ``###`` separators."""

    title: str
    start: int  # 1-based line number of the separator (or 1 for the first block)
    lines: list[tuple[int, str]] = field(default_factory=list)


def _blocks(text: str) -> list[_Block]:
    blocks = [_Block("", 1)]
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("###"):
            blocks.append(_Block(line[3:].strip(), number))
        else:
            blocks[-1].lines.append((number, line))
    return blocks


def _is_comment(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("#") or stripped.startswith("//")


def _request_line(line: str, source: str, number: int) -> tuple[str, str, str]:
    """(method, url, http version or "") from ``METHOD URL [HTTP/x]`` or a bare URL."""
    tokens = line.split()
    version = ""
    if len(tokens) > 1 and _VERSION.match(tokens[-1]):
        version = _VERSION.match(tokens[-1]).group(1)  # type: ignore[union-attr]
        tokens = tokens[:-1]
    if (len(tokens) > 1 and tokens[0].upper() in _KNOWN_METHODS) or len(tokens) == 2:
        method = check_method(tokens[0], source, f"line {number}")
        url = " ".join(tokens[1:])
    else:
        method, url = "GET", " ".join(tokens)
    if " " in url:
        raise LoadError(source, f"line {number}: the URL contains a space")
    return method, url, version


def _authorization(value: str) -> Auth | None:
    """Auth for an ``Authorization`` header both tools expand, or None to keep the header.

    ``Basic user:password`` / ``Basic user password`` are written in clear text and
    encoded by the tool; a value that is already base64 has no ':' or space and stays.
    """
    scheme, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    if scheme.lower() == "basic" and rest and (":" in rest or " " in rest):
        sep = ":" if ":" in rest else " "
        user, _, password = rest.partition(sep)
        return Auth(kind="basic", username=user.strip(), password=password.strip())
    if scheme.lower() == "bearer" and rest and " " not in rest:
        return Auth(kind="bearer", token=rest)
    return None


def _body(lines: list[tuple[int, str]], headers: list[Header], label: str,
          notes: list[str]) -> Body:
    body_lines: list[str] = []
    for number, line in lines:
        stripped = line.strip()
        if stripped.startswith("> ") or stripped.startswith(">>") or stripped == ">":
            notes.append(f"{label}: response handler / output redirect on line {number} "
                         "not carried over")
            break
        if stripped.startswith("<> "):
            continue  # JetBrains' link to a previous response: nothing to send
        body_lines.append(line)
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    if not body_lines:
        return Body()
    content_type = next((v for n, v in headers if n.lower() == "content-type"), "").strip()
    first = body_lines[0].strip()
    if len(body_lines) == 1 and first.startswith("< "):
        return Body(kind="file", path=first[2:].strip())
    if any(line.strip().startswith("< ") for line in body_lines):
        notes.append(f"{label}: '< file' lines inside a body are sent as written, not "
                     "replaced by the file")
    text = "\n".join(body_lines)
    base = content_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return Body(kind="json", text=text)
    return Body(kind="text", text=text)


def _request(block: _Block, source: str, result: ImportResult) -> None:
    name = block.title
    options = Options(follow_redirects=True)
    rows = list(block.lines)
    index = 0
    # Before the request line: blank lines, comments (some carry @meta) and @var lines.
    while index < len(rows):
        number, line = rows[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        meta = _META.match(stripped)
        if meta:
            key, value = meta.group(1).lower(), meta.group(2).strip()
            if key == "name" and value:
                name = value
            elif key == "no-redirect":
                options = replace(options, follow_redirects=False)
            elif key == "timeout" and value.split() and value.split()[0].isdigit():
                options = replace(options, timeout=float(max(1, int(value.split()[0][:6]))))
            elif key not in ("no-cookie-jar", "no-log", "note"):
                result.notes.append(f"{source} line {number}: '@{key}' is not supported")
        elif _is_comment(stripped):
            pass
        elif (definition := _DEFINITION.match(stripped)) is not None:
            variable, value = definition.group(1), definition.group(2).strip()
            result.environments.setdefault("default", {})[variable] = value
        else:
            break
        index += 1
    if index >= len(rows):
        return  # a block of comments and definitions only
    number, line = rows[index]
    method, url, version = _request_line(line.strip(), source, number)
    label = f"{source} line {number}"
    index += 1
    while index < len(rows) and rows[index][1].strip()[:1] in ("?", "&"):
        url += rows[index][1].strip()
        index += 1
    check_line(url, source, f"line {number}")
    if version == "2":
        options = replace(options, http2=True)
    headers: list[Header] = []
    auth = Auth()
    while index < len(rows) and rows[index][1].strip():
        number, line = rows[index]
        index += 1
        if _is_comment(line):
            continue
        header, sep, value = line.partition(":")
        if not sep:
            raise LoadError(source, f"line {number}: expected a 'Name: value' header line")
        header = check_header_name(header, source, f"line {number}")
        value = check_line(value.strip(), source, f"line {number}")
        if header.lower() == "authorization" and auth.kind == "none":
            found = _authorization(value)
            if found is not None:
                auth = found
                continue
        headers.append((header, value))
    body = _body(rows[index + 1:], headers, label, result.notes)
    headers, body = settle_content_type(headers, body, result.notes, label)
    spec = RequestSpec(method=method, url=url, headers=tuple(headers), body=body, auth=auth,
                       options=options)
    for variable in _used_variables(spec):
        if variable.startswith("$") or ".response." in variable or ".request." in variable:
            result.notes.append(f"{label}: '{{{{{variable}}}}}' is computed by the tool; "
                                "define it in an environment before sending")
    result.add(slug(name) if name else request_path_from_url(method, url), spec, label)


def _used_variables(spec: RequestSpec) -> list[str]:
    texts = [spec.url, spec.body.text, spec.body.path, spec.auth.username, spec.auth.password,
             spec.auth.token, *(v for _, v in spec.headers), *(n for n, _ in spec.headers)]
    return list(dict.fromkeys(v for text in texts for v in variables_in(text)))


def import_http(text: str, source: str = "<http>") -> ImportResult:
    """Every request of one ``.http`` / ``.rest`` file.

    A request that cannot be read is a note naming its line, and the others are
    imported; only a file with no readable request raises ``LoadError`` (file, line).
    """
    result = ImportResult()
    problems: list[LoadError] = []
    for block in _blocks(text):
        try:
            _request(block, source, result)
        except LoadError as exc:
            problems.append(exc)
            what = f"request {block.title!r}" if block.title else "the request"
            result.notes.append(f"{exc.path} {exc.reason}; {what} was left out")
    if not result.requests:
        if problems:
            raise problems[0]
        raise LoadError(source, "line 1: no request found (expected 'METHOD URL')")
    return result.finish(source)


def import_http_environments(text: str, source: str = "http-client.env.json") -> ImportResult:
    """A JetBrains ``http-client.env.json``: ``{"env": {"var": "value", ...}, ...}``."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise LoadError(source, f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise LoadError(source, "$: nested too deeply") from exc
    if not isinstance(document, dict):
        raise LoadError(source, f"$: expected an object, found {type_name(document)}")
    result = ImportResult()
    for env, variables in document.items():
        if not isinstance(variables, dict):
            raise LoadError(source, f"$.{env}: expected an object, found {type_name(variables)}")
        values: dict[str, str] = {}
        for key, value in variables.items():
            if isinstance(value, bool):
                values[key] = "true" if value else "false"
            elif isinstance(value, str | int | float):
                values[key] = str(value)
            else:
                result.notes.append(f"{source}: $.{env}.{key} is {type_name(value)}, "
                                    "not a value; left out")
        result.environments[slug(env, "default")] = values
    return result.finish(source)
