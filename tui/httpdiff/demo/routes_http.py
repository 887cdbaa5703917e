"""Demo routes about the HTTP exchange itself: echo, status, redirects, cookies, auth, headers.

httpbin-like, but the echo reports headers as a list of pairs in received order and case, since
that order and case is exactly what differs between clients. Every answer depends only on the
request, so repeated sends are comparable. Redirect targets are restricted to relative paths and
this server's own listeners: the demo must never be an open redirector.
"""

from __future__ import annotations

import base64
import binascii
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from httpdiff.demo.asgi import Request, Response, Router, json_response, text_response

router = Router()

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
#: Headers /response-headers refuses: setting them would break the response's own framing.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"})
_MAX_HOPS = 100
_REDIRECT_CODES = frozenset({300, 301, 302, 303, 307, 308})
_REALM = 'realm="httpdiff demo"'


def _bad(message: str) -> Response:
    return text_response(message + "\n", status=400)


def _safe_value(value: str) -> bool:
    """A header value that is printable latin-1 text (no CR, LF, NUL, other controls)."""
    return all(ch == "\t" or (" " <= ch <= "~") or ("\xa0" <= ch <= "\xff") for ch in value)


def echo_document(req: Request) -> dict[str, Any]:
    """The request as the server saw it; header bytes decoded as latin-1 (lossless)."""
    return {
        "method": req.method,
        "url": req.url,
        "path": req.path,
        "query": [[k, v] for k, v in req.query],
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in req.headers],
        "http_version": req.http_version,
        "body": req.body.decode("utf-8", "replace"),
        "body_base64": base64.b64encode(req.body).decode("ascii"),
        "body_size": len(req.body),
    }


@router.route("/echo", "the request as received: headers in order and case, body, version")
async def echo(req: Request, match: re.Match[str]) -> Response:
    return json_response(echo_document(req))


@router.route("/anything", "same as /echo")
@router.route("/anything/...", "same as /echo, any sub-path")
async def anything(req: Request, match: re.Match[str]) -> Response:
    return json_response(echo_document(req))


@router.route("/get", "same as /echo, GET and HEAD only", methods=("GET", "HEAD"))
async def get(req: Request, match: re.Match[str]) -> Response:
    return json_response(echo_document(req))


@router.route("/status/{code}", "answer with that status (200-599; 1xx is refused)")
async def status(req: Request, match: re.Match[str]) -> Response:
    text = match["code"]
    if not text.isdigit() or not 100 <= int(text) <= 599:
        return _bad("status must be a number from 200 to 599")
    code = int(text)
    if code < 200:
        return _bad("1xx informational responses cannot be final answers")
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "Unassigned"
    return text_response(f"{code} {phrase}\n", status=code)


def _hops(match: re.Match[str]) -> int | None:
    text = match["n"]
    return int(text) if text.isdigit() and int(text) <= _MAX_HOPS else None


def _redirect(location: str, code: int = 302) -> Response:
    return Response(
        code, [("Location", location), ("Content-Type", "text/plain; charset=utf-8")],
        f"redirecting to {location}\n".encode("latin-1", "replace"),
    )


@router.route("/redirect/{n}", "a chain of n 302 redirects (relative Location) ending at /echo")
async def redirect(req: Request, match: re.Match[str]) -> Response:
    n = _hops(match)
    if n is None:
        return _bad(f"n must be a number from 0 to {_MAX_HOPS}")
    if n == 0:  # a chain of no redirects: the end of the chain itself
        return await echo(req, match)
    return _redirect(f"/redirect/{n - 1}" if n > 1 else "/echo")


@router.route("/absolute-redirect/{n}", "a chain of n 302 redirects with absolute URLs")
async def absolute_redirect(req: Request, match: re.Match[str]) -> Response:
    n = _hops(match)
    if n is None:
        return _bad(f"n must be a number from 0 to {_MAX_HOPS}")
    if n == 0:
        return await echo(req, match)
    return _redirect(req.origin + (f"/absolute-redirect/{n - 1}" if n > 1 else "/echo"))


@router.route("/redirect-to", "redirect to ?url= (relative or this server) with ?status= (302)")
async def redirect_to(req: Request, match: re.Match[str]) -> Response:
    target = req.arg("url")
    if not target:
        return _bad("missing ?url=")
    if not (target.isascii() and target.isprintable()) or " " in target:
        return _bad("url must be printable ASCII without spaces")
    code_text = req.arg("status") or "302"
    if not code_text.isdigit() or int(code_text) not in _REDIRECT_CODES:
        return _bad("status must be one of " + ", ".join(map(str, sorted(_REDIRECT_CODES))))
    parts = urlsplit(target)
    relative = not parts.scheme and not parts.netloc
    own = parts.scheme in ("http", "https") and parts.netloc.lower() in req.own_hosts
    if not (relative or own):
        return _bad("url must be a relative path or a URL of this demo server")
    return _redirect(target, int(code_text))


@router.route("/redirect-loop", "redirects to itself forever")
async def redirect_loop(req: Request, match: re.Match[str]) -> Response:
    return _redirect("/redirect-loop")


def _cookies(req: Request) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in req.header_all("cookie"):
        for part in line.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                found[name] = value
    return found


@router.route("/cookies", "the cookies received, as JSON")
async def cookies(req: Request, match: re.Match[str]) -> Response:
    return json_response({"cookies": _cookies(req)})


def _cookie_ok(name: str, value: str) -> bool:
    return bool(_TOKEN.fullmatch(name)) and all(
        ch.isascii() and ch.isprintable() and ch not in ' ",;\\' for ch in value
    )


@router.route("/cookies/set", "Set-Cookie for each ?name=value, then 302 to /cookies")
async def cookies_set(req: Request, match: re.Match[str]) -> Response:
    pairs = req.query
    if not all(_cookie_ok(name, value) for name, value in pairs):
        return _bad("cookie names must be tokens and values plain ASCII without ; , or quotes")
    headers = [("Set-Cookie", f"{name}={value}; Path=/") for name, value in pairs]
    return Response(302, [*headers, ("Location", "/cookies")], b"")


@router.route("/cookies/delete", "expire each ?name, then 302 to /cookies")
async def cookies_delete(req: Request, match: re.Match[str]) -> Response:
    names = [name for name, _ in req.query]
    if not all(_TOKEN.fullmatch(name) for name in names):
        return _bad("cookie names must be tokens")
    headers = [("Set-Cookie", f"{name}=; Max-Age=0; Path=/") for name in names]
    return Response(302, [*headers, ("Location", "/cookies")], b"")


def _credentials(req: Request, scheme: str) -> str | None:
    """The credentials part of ``Authorization: <scheme> <credentials>``."""
    value = req.header("authorization") or ""
    given, _, credentials = value.strip().partition(" ")
    return credentials.strip() if given.lower() == scheme.lower() and credentials.strip() else None


@router.route("/basic-auth/{user}/{password}", "200 when Basic credentials match, else 401")
async def basic_auth(req: Request, match: re.Match[str]) -> Response:
    encoded = _credentials(req, "Basic")
    decoded = None
    if encoded is not None:
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            decoded = None
    if decoded is not None and decoded == f"{match['user']}:{match['password']}":
        return json_response({"authenticated": True, "user": match["user"]})
    return json_response(
        {"authenticated": False}, status=401, headers=[("WWW-Authenticate", f"Basic {_REALM}")]
    )


@router.route("/bearer", "200 echoing the Bearer token, else 401")
async def bearer(req: Request, match: re.Match[str]) -> Response:
    token = _credentials(req, "Bearer")
    if token is None:
        return json_response(
            {"authenticated": False}, status=401,
            headers=[("WWW-Authenticate", f"Bearer {_REALM}")],
        )
    return json_response({"authenticated": True, "token": token})


@router.route("/headers/duplicate", "two Set-Cookie, two X-Dup and a mixed-case header name")
async def headers_duplicate(req: Request, match: re.Match[str]) -> Response:
    headers = [
        ("Set-Cookie", "first=1; Path=/"),
        ("Set-Cookie", "second=2; Path=/"),
        ("X-Dup", "one"),
        ("X-Dup", "two"),
        ("X-MiXeD-Case", "kept as written on HTTP/1.1"),
    ]
    body = {"sent": [[k, v] for k, v in headers]}
    return json_response(body, headers=headers)


@router.route("/response-headers", "sets each ?Name=value as a response header (repeatable)")
async def response_headers(req: Request, match: re.Match[str]) -> Response:
    pairs = req.query
    for name, value in pairs:
        if not _TOKEN.fullmatch(name) or not _safe_value(value):
            return _bad(f"invalid header {name!r}")
        if name.lower() in _FRAMING:
            return _bad(f"{name} cannot be set: it would break the response framing")
    has_type = any(name.lower() == "content-type" for name, _ in pairs)
    response = json_response({"headers": [[k, v] for k, v in pairs]}, headers=pairs)
    if has_type:  # the caller's Content-Type replaces the default one
        kept = [h for h in response.headers if h != ("Content-Type", "application/json")]
        return Response(response.status, kept, response.body)
    return response
