"""What every importer shares: the result type, safe request paths, and request clean-up.

Importers are pure: text (or, for Posting, a folder that is only read) goes in, an
``ImportResult`` comes out, and nothing is written. Everything a format can say that
httpdiff cannot carry (scripts, tests, unsupported auth, disabled headers...) is put in
``notes``, never dropped silently. Any problem with the input is one ``LoadError``
naming the file and the place (a line number or a JSON path), so ``httpdiff import``
can print one line and write nothing.

File references are checked where every importer passes (``ImportResult.add``): a
request can only keep a file to send (a file body, a multipart ``@file`` field) whose
path stays inside the source folder, since those are copied into the collection. An
absolute path, a ``..`` that climbs out, a ``~`` or a ``{{variable}}`` in the path is
dropped with a note naming the request and the path: a collection written by someone
else must not make the next ``httpdiff run`` upload ``/etc/passwd`` or a private key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PureWindowsPath
from typing import Any

from httpdiff.errors import LoadError
from httpdiff.model import Body, Header, RequestSpec

# Request method: an RFC 9110 token; imported methods are upper-cased.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Control characters that would corrupt a header or URL on the wire (tab is allowed in values).
_BAD_IN_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_VARIABLE = re.compile(r"\{\{\s*[^{}]*?\s*\}\}")
_SLUG_BAD = re.compile(r"[^a-z0-9._-]+")
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Names a collection keeps for its own files (storage.collection refuses them).
_RESERVED_FIRST = ("environments", "noise")
MAX_SEGMENT = 80


@dataclass
class ImportResult:
    """Requests keyed by their path in the collection (no ``.yaml``), environments, notes."""

    requests: list[tuple[str, RequestSpec]] = field(default_factory=list)
    environments: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, relative: str, spec: RequestSpec, origin: str = "") -> str:
        """Add a request under a unique, safe relative path; returns the path used.

        File references outside the source folder are dropped here, with a note that
        names ``origin`` (the source file and place), the request and the path.
        """
        taken = {path for path, _ in self.requests}
        path = unique(safe_relative(relative), taken)
        label = f"{origin}: request {path}" if origin else f"request {path}"
        body = kept_files(spec.body, self.notes, label)
        self.requests.append((path, replace(spec, name=path.rsplit("/", 1)[-1], body=body)))
        return path

    def finish(self, source: str) -> ImportResult:
        """Leave out (with a note) variables a collection environment cannot hold."""
        for name, variables in self.environments.items():
            for key in [k for k in variables if not VARIABLE_NAME.match(k)]:
                del variables[key]
                self.notes.append(f"{source}: environment {name}: variable {key[:40]!r} left "
                                  "out (names are letters, digits, _ . - and start with a "
                                  "letter or _)")
        return self


def file_reference_problem(path: str) -> str:
    """Why ``path`` cannot stay in an imported request as a file to send; "" if it can.

    Checked on the text alone (importers are pure), with both slash kinds taken as
    separators, so a path written on Windows is judged the same.
    """
    if "{{" in path:
        return "its place depends on a variable, so it cannot be checked"
    if path.startswith("~"):
        return "a home folder path, outside the source folder"
    if path.startswith(("/", "\\")) or PureWindowsPath(path).drive:
        return "an absolute path"
    depth = 0
    for part in re.split(r"[/\\]", path):
        if part == "..":
            depth -= 1
            if depth < 0:
                return "outside the source folder"
        elif part not in ("", "."):
            depth += 1
    return ""


def kept_files(body: Body, notes: list[str], label: str) -> Body:
    """``body`` without file references outside the source folder; each dropped one noted."""
    hint = "to send it, put it in the source folder and refer to it from there"
    if body.kind == "file" and body.path:
        problem = file_reference_problem(body.path)
        if problem:
            notes.append(f"{label}: body file {body.path!r} left out ({problem}): the "
                         f"request has no body; {hint}")
            return Body()
    if body.kind == "multipart":
        fields = []
        for name, value in body.fields:
            problem = file_reference_problem(value[1:]) if value.startswith("@") else ""
            if problem:
                notes.append(f"{label}: file {value[1:]!r} of form field {name!r} left out "
                             f"({problem}): the field is empty; {hint}")
                value = ""
            fields.append((name, value))
        return replace(body, fields=tuple(fields))
    return body


def slug(text: str, fallback: str = "request") -> str:
    """A file-name-safe segment: lowercase letters, digits, ``.``, ``_`` and ``-``."""
    cleaned = _SLUG_BAD.sub("-", text.strip().lower()).strip("-.")
    return cleaned[:MAX_SEGMENT].strip("-.") or fallback


def safe_relative(relative: str) -> str:
    """``relative`` as slash-separated slugs: never absolute, never ``..``, never empty."""
    parts = [slug(part) for part in relative.replace("\\", "/").split("/") if part.strip()]
    if parts and parts[0] in _RESERVED_FIRST:
        parts[0] += "-1"
    if parts and parts[-1].endswith(".yaml"):
        # "x.yaml" would be saved as x.yaml.yaml and read back as the request "x"
        parts[-1] = parts[-1][: -len(".yaml")] + "-yaml"
    return "/".join(parts) or "request"


def unique(path: str, taken: set[str]) -> str:
    """``path``, or ``path-2``, ``path-3``... whichever is not taken yet."""
    if path not in taken:
        return path
    n = 2
    while f"{path}-{n}" in taken:
        n += 1
    return f"{path}-{n}"


def request_path_from_url(method: str, url: str) -> str:
    """A readable name for an unnamed request: method plus the URL's last path segments."""
    without_vars = _VARIABLE.sub("", url)
    path = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "", without_vars).split("?")[0]
    words = [w for w in path.split("/") if w][-2:]
    return slug("-".join([method.lower(), *words]))


def check_method(method: str, source: str, place: str) -> str:
    method = method.strip().upper()
    if not _TOKEN.match(method):
        raise LoadError(source, f"{place}: invalid method {method[:40]!r}")
    return method


def check_line(value: str, source: str, place: str) -> str:
    """A URL, header or parameter value: no CR, LF or other control characters."""
    if _BAD_IN_LINE.search(value):
        raise LoadError(source, f"{place}: contains a line break or control character")
    return value


def check_header_name(name: str, source: str, place: str) -> str:
    # Header names may carry {{variables}}; check what is left around them.
    name = name.strip()
    if not name or not _TOKEN.match(_VARIABLE.sub("x", name)):
        raise LoadError(source, f"{place}: invalid header name {name[:40]!r}")
    return name


def expect(value: Any, kind: type | tuple[type, ...], source: str, place: str) -> Any:
    """``value`` if it has the expected JSON/YAML type, else a ``LoadError`` naming the place."""
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise LoadError(source, f"{place}: expected a number, found a boolean")
    if not isinstance(value, kind):
        names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
        wanted = names.get(kind, "a number") if isinstance(kind, type) else "a string or number"
        raise LoadError(source, f"{place}: expected {wanted}, found {type_name(value)}")
    return value


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def scalar_text(value: Any, source: str, place: str) -> str:
    """A string field that tools also write as a number or boolean (``value: 1``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise LoadError(source, f"{place}: expected a string, found {type_name(value)}")


_DEFAULT_TYPES = {"json": "application/json", "form": "application/x-www-form-urlencoded"}


def settle_content_type(
    headers: list[Header], body: Body, notes: list[str], label: str
) -> tuple[list[Header], Body]:
    """Move an explicit Content-Type header into the body, where httpdiff keeps it.

    The body carries its own content type (``Body.content_type`` or the kind's default);
    keeping the header as well would send it twice. A multipart Content-Type written by
    hand has no boundary (the client must choose it), so it is dropped with a note.
    """
    if body.kind == "none":
        return headers, body
    declared = [v for n, v in headers if n.lower() == "content-type"]
    if not declared:
        return headers, body
    rest = [(n, v) for n, v in headers if n.lower() != "content-type"]
    value = declared[-1].strip()
    if body.kind == "multipart":
        if "boundary=" not in value:
            notes.append(f"{label}: dropped the Content-Type header {value!r}: the client "
                         "sets multipart/form-data with its own boundary")
            return rest, body
        return headers, body
    if body.content_type:
        return rest, body
    if value.lower() == _DEFAULT_TYPES.get(body.kind, ""):
        return rest, body
    return rest, replace(body, content_type=value)


def variables_in(text: str) -> list[str]:
    """The ``{{name}}`` variables used in ``text``, names stripped."""
    return [m.group()[2:-2].strip() for m in _VARIABLE.finditer(text)]
