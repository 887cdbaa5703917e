"""One request as a YAML document, and back: the format of every file in a collection.

The file is meant to be read and diffed in git, so only fields that differ from
their defaults are written, keys always come in the same order, and multi-line
text (a JSON body) is a block scalar instead of one long escaped line. The
request's ``name`` is never written: the file's stem is the request's identity,
so renaming the file renames the request and the two cannot disagree.

A request file::

    method: POST                     # default GET
    url: "{{base}}/users"
    params:                          # ordered, duplicates kept
    - name: page
      value: "2"
    headers:
    - name: Accept
      value: application/json
    body:
      kind: json                     # text | json | form | multipart | file
      text: |
        {"name": "alice"}
    auth:
      kind: bearer
      token: "{{TOKEN}}"
    options:                         # timeout, follow_redirects, max_redirects, verify,
      follow_redirects: true         # ca_bundle, http2, proxy

Loading is strict and never trusts the text: anything but the shape above is a
``LoadError`` naming the source and the field (``headers[2].value: must be text``).
Error messages name types, never echo values, so a hostile file cannot make one
huge or smuggle control characters into a terminal.
"""

from __future__ import annotations

import math
from dataclasses import fields as dataclass_fields
from pathlib import PurePath
from typing import Any

import yaml

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body, Options, RequestSpec

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A request file larger than this is refused rather than parsed."""

BODY_KINDS = ("none", "text", "json", "form", "multipart", "file")
AUTH_KINDS = ("none", "basic", "bearer")
_TOP_KEYS = ("method", "url", "params", "headers", "body", "auth", "options")
_BODY_KEYS = ("kind", "text", "fields", "path", "content_type")
_AUTH_KEYS = ("kind", "username", "password", "token")
_OPTION_KEYS = tuple(f.name for f in dataclass_fields(Options))
_OPTION_TYPES: dict[str, type] = {
    "timeout": float, "follow_redirects": bool, "max_redirects": int, "verify": bool,
    "ca_bundle": str, "http2": bool, "proxy": str,
}
# Characters YAML treats as line breaks besides "\n": a block scalar would turn them into
# "\n" on reading, so strings holding them are written double-quoted (escaped) instead.
_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_DEFAULT = RequestSpec()


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as block scalars."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(ch in value for ch in _ODD_BREAKS):
        style = '"'
    elif "\n" in value:
        # The emitter still falls back to quoting when a block scalar cannot hold the text
        # exactly (trailing spaces on a line, leading blank space, special characters).
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML for a file a person will read: block style, given key order, unicode kept."""
    text: str = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=100,
    )
    return text


def _pairs(items: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in items]


def _changed(value: Any, default: Any) -> dict[str, Any]:
    """The fields of a dataclass value that differ from a default instance, in field order."""
    out: dict[str, Any] = {}
    for f in dataclass_fields(value):
        current = getattr(value, f.name)
        if current != getattr(default, f.name):
            out[f.name] = _pairs(current) if f.name == "fields" else current
    return out


def request_mapping(spec: RequestSpec) -> dict[str, Any]:
    """The mapping written to a request file: non-default fields only, in file order."""
    doc: dict[str, Any] = {}
    if spec.method != _DEFAULT.method:
        doc["method"] = spec.method
    if spec.url:
        doc["url"] = spec.url
    if spec.params:
        doc["params"] = _pairs(spec.params)
    if spec.headers:
        doc["headers"] = _pairs(spec.headers)
    body = _changed(spec.body, Body())
    if body:
        # kind comes first and is always written, so a reader sees what the text is.
        doc["body"] = {"kind": spec.body.kind, **body}
    auth = _changed(spec.auth, Auth())
    if auth:
        doc["auth"] = {"kind": spec.auth.kind, **auth}
    options = _changed(spec.options, Options())
    if options:
        doc["options"] = options
    return doc


def request_to_yaml(spec: RequestSpec) -> str:
    """The text of a request file (``name`` is left out: the file stem carries it)."""
    doc = request_mapping(spec)
    return dump_yaml(doc) if doc else "{}\n"


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


class _Fields:
    """Typed access to one mapping of a document, naming the field in every error."""

    def __init__(self, source: str, where: str, value: Any, known: tuple[str, ...]) -> None:
        self.source, self.where = source, where
        if not isinstance(value, dict):
            raise self.error("", f"must be a mapping, not {_type_name(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.error("", f"has a key that is {_type_name(key)}, not text")
            if key not in known:
                shown = key if len(key) <= 40 and key.isprintable() else key[:40].encode(
                    "unicode_escape").decode("ascii") + "…"
                raise self.error("", f"unknown field {shown!r} (known: {', '.join(known)})")
        self.data: dict[str, Any] = value

    def error(self, key: str, why: str) -> LoadError:
        place = ".".join(p for p in (self.where, key) if p)
        return LoadError(self.source, f"field {place}: {why}" if place else why)

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(key, f"must be text, not {_type_name(value)} (quote it)")
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.text(key, choices[0])
        if value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}")
        return value

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(key, f"must be a list of name/value pairs, not {_type_name(value)}")
        out = []
        for index, item in enumerate(value):
            pair = _Fields(self.source, f"{_join(self.where, key)}[{index}]", item,
                           ("name", "value"))
            if "name" not in pair.data:
                raise pair.error("", "needs a name")
            out.append((pair.text("name"), pair.text("value")))
        return tuple(out)

    def option(self, key: str, default: Any) -> Any:
        value = self.data.get(key, default)
        kind = _OPTION_TYPES[key]
        if kind is bool:
            if not isinstance(value, bool):
                raise self.error(key, f"must be true or false, not {_type_name(value)}")
            return value
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.error(key, f"must be a whole number, not {_type_name(value)}")
            if not -(2**63) <= value < 2**63:
                raise self.error(key, "is out of range")
            return value
        if kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.error(key, f"must be a number, not {_type_name(value)}")
            if isinstance(value, int) and abs(value) > 2**53:
                raise self.error(key, "is out of range")
            if not math.isfinite(value):
                raise self.error(key, "must be a finite number")
            return float(value)
        return self.text(key, default)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def parse_yaml(text: str, source: str) -> Any:
    """``yaml.safe_load`` with every way it can fail turned into a ``LoadError``."""
    if len(text) > MAX_FILE_BYTES:
        raise LoadError(source, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise LoadError(source, f"invalid YAML: {where}{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise LoadError(source, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError(source, "invalid YAML: nested too deeply") from None
    except (ValueError, TypeError, OverflowError, MemoryError) as exc:
        # e.g. an out-of-range timestamp or a huge float the constructor rejects
        raise LoadError(source, f"invalid YAML: {type(exc).__name__}") from None


def name_from_source(source: str) -> str:
    """The request name a source implies: the stem of a ``.yaml`` file, else nothing."""
    path = PurePath(source)
    return path.stem if path.suffix == ".yaml" else ""


def request_from_document(doc: Any, source: str, name: str = "") -> RequestSpec:
    """A request from an already parsed document, validated field by field."""
    if doc is None:
        doc = {}
    top = _Fields(source, "", doc, _TOP_KEYS)
    method = top.text("method", _DEFAULT.method)
    if not method:
        raise top.error("method", "must not be empty")
    body = Body()
    if top.data.get("body") is not None:
        b = _Fields(source, "body", top.data["body"], _BODY_KEYS)
        body = Body(
            kind=b.choice("kind", BODY_KINDS),  # type: ignore[arg-type]
            text=b.text("text"),
            fields=b.pairs("fields"),
            path=b.text("path"),
            content_type=b.text("content_type"),
        )
    auth = Auth()
    if top.data.get("auth") is not None:
        a = _Fields(source, "auth", top.data["auth"], _AUTH_KEYS)
        auth = Auth(
            kind=a.choice("kind", AUTH_KINDS),  # type: ignore[arg-type]
            username=a.text("username"),
            password=a.text("password"),
            token=a.text("token"),
        )
    options = Options()
    if top.data.get("options") is not None:
        o = _Fields(source, "options", top.data["options"], _OPTION_KEYS)
        options = Options(**{
            key: o.option(key, getattr(options, key)) for key in _OPTION_KEYS
        })
    return RequestSpec(
        method=method,
        url=top.text("url"),
        headers=top.pairs("headers"),
        params=top.pairs("params"),
        body=body,
        auth=auth,
        options=options,
        name=name,
    )


def request_from_yaml(text: str, source: str) -> RequestSpec:
    """Parse one request file's text; ``source`` (its path) names it in errors and names it.

    Raises ``LoadError(source, "field x: why")`` for anything that is not a valid request.
    """
    return request_from_document(parse_yaml(text, source), source, name_from_source(source))
