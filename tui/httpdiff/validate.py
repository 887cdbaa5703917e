"""Check a request before anything is sent, and say in one line what is wrong.

Both clients reject some bad input and quietly accept other bad input (httpx
refuses a CR in a header value, aiohttp may send it); httpdiff refuses it up
front for every backend alike, so a comparison never starts from a request
that one library would have mangled.

Text that cannot be encoded as UTF-8 is refused too. Python hands a command
line's non-UTF-8 bytes over as surrogate escapes (``\\xff`` becomes ``\\udcff``);
both clients then fail alike while encoding, and two identical crashes would
read as "equivalent". File paths are the exception: the OS takes them as bytes.

A message quotes the offending value, shortened. When the request was resolved
from secrets, the caller passes ``hide`` (the secrets' redaction): it is applied
to each value *before* it is quoted and shortened, since a secret cut to its
first 57 characters, or escaped by ``repr``, would no longer be recognised.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from httpdiff.errors import InvalidRequest
from httpdiff.model import RequestSpec

# RFC 9110 token characters, for methods and header names.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
SCHEMES = ("http", "https")

Hide = Callable[[str], str]
"""Takes secrets out of a text (``variables.redact`` with the request's secret forms)."""


def _as_is(text: str) -> str:
    return text


def _show(text: str, hide: Hide = _as_is, limit: int = 60) -> str:
    shown = repr(hide(text))
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _show_bytes(text: str, limit: int = 60) -> str:
    """``_show``, with surrogate-escaped bytes written as the ``\\xNN`` the user typed."""
    shown = "'" + "".join(
        f"\\x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else repr(ch)[1:-1]
        for ch in text
    ) + "'"
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def check_utf8(what: str, text: str, *, secret: bool = False, hide: Hide = _as_is) -> None:
    """Refuse text with surrogates (undecodable input bytes): no client can encode it."""
    if _SURROGATE.search(text):
        shown = "" if secret else f": {_show_bytes(hide(text))}"
        raise InvalidRequest(f"{what} has bytes that are not valid UTF-8{shown}")


def _check_encodable(spec: RequestSpec, hide: Hide) -> None:
    body, auth = spec.body, spec.auth
    texts = [("the method", spec.method), ("the URL", spec.url)]
    texts += [(f"header {_show_bytes(n)}", f"{n}: {v}") for n, v in spec.headers]
    texts += [(f"query parameter {_show_bytes(n)}", f"{n}={v}") for n, v in spec.params]
    texts += [("the body", body.text), ("the body's content type", body.content_type)]
    texts += [(f"form field {_show_bytes(n)}", f"{n}={v}") for n, v in body.fields]
    texts += [("the basic-auth user name", auth.username), ("the proxy URL", spec.options.proxy)]
    for what, text in texts:
        check_utf8(what, text, hide=hide)
    check_utf8("the basic-auth password", auth.password, secret=True)
    check_utf8("the bearer token", auth.token, secret=True)


def check_url(url: str, hide: Hide = _as_is) -> None:
    if not url.strip():
        raise InvalidRequest("the URL is empty")
    if _CONTROL.search(url) or " " in url.strip():
        raise InvalidRequest(f"the URL {_show(url, hide)} contains a space or control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # its message may quote a piece of the URL
        raise InvalidRequest(f"malformed URL {_show(url, hide)}: {hide(str(exc))}") from None
    if not parts.scheme:
        raise InvalidRequest(
            f"the URL {_show(url, hide)} has no scheme (use http:// or https://)")
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidRequest(
            f"unsupported URL scheme {_show(parts.scheme, hide)} (use http or https)")
    if not parts.hostname:
        raise InvalidRequest(f"the URL {_show(url, hide)} has no host")
    if port == 0:
        raise InvalidRequest(f"the URL {_show(url, hide)} has port 0")


def check_header(name: str, value: str, hide: Hide = _as_is) -> None:
    if not name:
        raise InvalidRequest("a header has an empty name")
    if not _TOKEN.match(name):
        raise InvalidRequest(
            f"invalid header name {_show(name, hide)}: only token characters allowed")
    if any(ch in value for ch in "\r\n\x00"):
        raise InvalidRequest(f"header {_show(name, hide)} has a CR, LF or NUL in its value")
    if _CONTROL.search(value):
        raise InvalidRequest(f"header {_show(name, hide)} has a control character in its value")
    if not value.isascii():
        raise InvalidRequest(
            f"header {_show(name, hide)} has a non-ASCII value {_show(value, hide)}")


def _check_readable(path: str, what: str, hide: Hide) -> None:
    if not os.path.isfile(path):
        raise InvalidRequest(f"{what} {_show(path, hide, 200)} does not exist or is not a file")
    if not os.access(path, os.R_OK):
        raise InvalidRequest(f"{what} {_show(path, hide, 200)} is not readable")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:30]} is out of range")
    return value


def parse_json(text: str) -> Any:
    """``json.loads``, refusing NaN, Infinity and out-of-range numbers (ValueError).

    Python's parser accepts them; the clients re-encode the value strictly and fail
    mid-send, so a body either goes out as written or is refused here.
    """
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)


@functools.lru_cache(maxsize=8)
def _ca_problem(path: str, mtime_ns: int, size: int) -> str:
    """Why the CA bundle cannot be used, or ""; cached per file version (the app checks often)."""
    shown = _show_bytes(path, limit=4096)  # a path is only useful whole
    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, ValueError) as exc:
        return f"the CA bundle {shown} is not a PEM CA bundle ({exc})"
    except OSError as exc:
        return f"cannot read the CA bundle {shown}: {exc.strerror or exc}"
    return ""


def _check_ca_bundle(path: str, hide: Hide) -> None:
    _check_readable(path, "CA bundle", hide)
    info = os.stat(path)
    problem = _ca_problem(path, info.st_mtime_ns, info.st_size)
    if problem:
        raise InvalidRequest(" ".join(problem.split()))


def check(spec: RequestSpec, hide: Hide = _as_is) -> None:
    """Raise ``InvalidRequest`` naming the first problem, or return if the request can go.

    ``hide`` masks secrets in the values a message quotes (see the module docstring).
    """
    _check_encodable(spec, hide)
    if not _TOKEN.match(spec.method):
        raise InvalidRequest(f"invalid method {_show(spec.method, hide)}")
    check_url(spec.url, hide)
    for name, value in spec.headers:
        check_header(name, value, hide)
    for name, value in spec.params:
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise InvalidRequest(f"query parameter {_show(name, hide)} has a control character")
    body = spec.body
    if body.kind == "json":
        try:
            parse_json(body.text)
        except ValueError as exc:
            # the decoder names a line and column, never quotes the body
            raise InvalidRequest(f"the JSON body is invalid: {exc}") from None
    elif body.kind == "file":
        _check_readable(body.path, "body file", hide)
    elif body.kind == "multipart":
        for _, value in body.fields:
            if value.startswith("@"):
                _check_readable(value[1:], "multipart file", hide)
    if body.content_type:
        check_header("Content-Type", body.content_type, hide)
    auth = spec.auth
    if auth.kind == "basic" and ":" in auth.username:
        raise InvalidRequest("a basic-auth user name cannot contain ':'")
    if auth.kind == "bearer":
        check_header("Authorization", f"Bearer {auth.token}", hide)
    opts = spec.options
    if not (opts.timeout > 0 and math.isfinite(opts.timeout)):
        raise InvalidRequest(f"the timeout must be a finite number of seconds more than 0, "
                             f"not {opts.timeout}")
    if opts.max_redirects < 0:
        raise InvalidRequest(f"max redirects cannot be negative ({opts.max_redirects})")
    if opts.ca_bundle:
        _check_ca_bundle(opts.ca_bundle, hide)
    if opts.proxy:
        check_url(opts.proxy, hide)
