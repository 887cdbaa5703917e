"""Check a request before anything is sent, and say in one line what is wrong.

Both clients reject some bad input and quietly accept other bad input (httpx
refuses a CR in a header value, aiohttp may send it); httpdiff refuses it up
front for every backend alike, so a comparison never starts from a request
that one library would have mangled.

A message quotes the offending value, shortened. When the request was resolved
from secrets, the caller passes ``hide`` (the secrets' redaction): it is applied
to each value *before* it is quoted and shortened, since a secret cut to its
first 57 characters, or escaped by ``repr``, would no longer be recognised.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from httpdiff.errors import InvalidRequest
from httpdiff.model import RequestSpec

# RFC 9110 token characters, for methods and header names.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
SCHEMES = ("http", "https")

Hide = Callable[[str], str]
"""Takes secrets out of a text (``variables.redact`` with the request's secret forms)."""


def _as_is(text: str) -> str:
    return text


def _show(text: str, hide: Hide = _as_is, limit: int = 60) -> str:
    shown = repr(hide(text))
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


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


def check(spec: RequestSpec, hide: Hide = _as_is) -> None:
    """Raise ``InvalidRequest`` naming the first problem, or return if the request can go.

    ``hide`` masks secrets in the values a message quotes (see the module docstring).
    """
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
            json.loads(body.text)
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
    if not opts.timeout > 0:
        raise InvalidRequest(f"the timeout must be more than 0 seconds, not {opts.timeout}")
    if opts.max_redirects < 0:
        raise InvalidRequest(f"max redirects cannot be negative ({opts.max_redirects})")
    if opts.ca_bundle:
        _check_readable(opts.ca_bundle, "CA bundle", hide)
    if opts.proxy:
        check_url(opts.proxy, hide)
