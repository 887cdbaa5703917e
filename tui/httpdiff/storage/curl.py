"""curl command lines to requests and back.

One argparse definition of the curl flags httpdiff understands serves twice: to
turn a pasted ``curl ...`` command into a ``RequestSpec``, and as the flags of
``httpdiff compare`` (the CLI builds its parser on top of ``add_curl_arguments``),
so both accept exactly the same spelling. Flags that only change curl's own
output (``-s``, ``-v``, ``-i``...) are accepted and reported as ignored; flags
httpdiff does not know are reported, never dropped silently. The command line is
split by ``shell_words`` (shell quoting, continuations, comments); a command that
would make the shell run or redirect anything is refused, never executed.
"""

from __future__ import annotations

import argparse
import json
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from httpdiff.errors import InvalidRequest
from httpdiff.model import Auth, Body, Header, Options, RequestSpec
from httpdiff.storage.shell_words import ShellCommand, split_commands

# curl flags that change only curl's own output or behaviour httpdiff always has.
_IGNORED_SWITCHES = (
    "-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-i", "--include",
    "--compressed", "-f", "--fail", "--fail-with-body", "-#", "--progress-bar", "-N",
    "--no-buffer", "--http1.1", "-g", "--globoff",
)
_IGNORED_WITH_VALUE = ("-o", "--output", "-w", "--write-out", "--connect-timeout", "--retry")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InvalidRequest(message)


def add_curl_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the curl-compatible request flags to ``parser``."""
    add = parser.add_argument
    add("-X", "--request", dest="method", metavar="METHOD", help="request method")
    add("-H", "--header", dest="headers", action="append", default=[], metavar="'NAME: VALUE'",
        help="request header (repeatable)")
    for flag in ("--data-raw", "--data-binary", "--data-ascii"):
        add(flag, dest="data", action="append", metavar="DATA", help=argparse.SUPPRESS)
    add("-d", "--data", dest="data", action="append", default=[], metavar="DATA",
        help="request body (repeatable, joined with &; @FILE reads a file)")
    add("--data-urlencode", dest="data_urlencode", action="append", default=[], metavar="DATA",
        help=argparse.SUPPRESS)
    add("--json", dest="json", action="append", default=[], metavar="DATA",
        help="a JSON body (sets JSON content type), as curl's --json")
    add("-F", "--form", dest="form", action="append", default=[], metavar="NAME=VALUE",
        help="multipart form field (NAME=@FILE for a file)")
    add("-T", "--upload-file", dest="upload_file", metavar="FILE",
        help="send FILE as the body (PUT unless -X says otherwise)")
    add("-G", "--get", dest="get", action="store_true", help="put -d data in the query string")
    add("-I", "--head", dest="head", action="store_true", help="send HEAD")
    add("-u", "--user", dest="user", metavar="USER[:PASSWORD]", help="basic auth")
    add("--oauth2-bearer", dest="bearer", metavar="TOKEN", help="bearer token")
    add("-A", "--user-agent", dest="user_agent", metavar="UA", help="User-Agent header")
    add("-e", "--referer", dest="referer", metavar="URL", help=argparse.SUPPRESS)
    add("-b", "--cookie", dest="cookie", metavar="'K=V; ...'", help="Cookie header")
    add("-L", "--location", dest="location", action="store_true", help="follow redirects")
    add("--max-redirs", dest="max_redirs", type=int, metavar="N", help="redirect limit")
    add("-m", "--max-time", dest="max_time", type=float, metavar="SECONDS", help="overall timeout")
    add("-k", "--insecure", dest="insecure", action="store_true", help="do not verify TLS")
    add("--cacert", dest="cacert", metavar="FILE", help="CA bundle to verify TLS with")
    add("--http2", dest="http2", action="store_true", help="offer HTTP/2 (where a client can)")
    add("--http2-prior-knowledge", dest="http2", action="store_true", help=argparse.SUPPRESS)
    add("-x", "--proxy", dest="proxy", metavar="URL", help="proxy")
    add("--url", dest="url_flag", metavar="URL", help=argparse.SUPPRESS)
    for flag in _IGNORED_SWITCHES:
        add(flag, dest="ignored", action="append_const", const=flag, help=argparse.SUPPRESS)
    for flag in _IGNORED_WITH_VALUE:
        add(flag, dest="ignored_values", action="append", help=argparse.SUPPRESS)


def _header(line: str) -> Header:
    name, sep, value = line.partition(":")
    if not sep:
        # curl's "Name;" means the header with an empty value
        if line.endswith(";"):
            return line[:-1].strip(), ""
        raise InvalidRequest(f"header {line!r} has no ':' between name and value")
    return name.strip(), value.strip()


def _data(items: Sequence[str]) -> tuple[str, str]:
    """(text, file path) for curl's -d items; @file is read by the backends, not here."""
    if len(items) == 1 and items[0].startswith("@"):
        return "", items[0][1:]
    return "&".join(items), ""


def _normalise_url(url: str) -> str:
    # curl assumes http:// for a URL written without a scheme
    return url if "://" in url else f"http://{url}"


@dataclass
class ParsedCurl:
    spec: RequestSpec
    notes: list[str] = field(default_factory=list)


def spec_from_args(args: argparse.Namespace, url: str) -> ParsedCurl:
    """Build a request from parsed curl flags; ``notes`` lists what was not carried over."""
    notes: list[str] = []
    if getattr(args, "ignored", None):
        notes.append("ignored (no effect in httpdiff): " + " ".join(args.ignored))
    if getattr(args, "ignored_values", None):
        notes.append("ignored options with values: " + " ".join(args.ignored_values))
    url = _normalise_url(url.strip())
    headers = [_header(h) for h in args.headers]
    if args.user_agent is not None:
        headers.append(("User-Agent", args.user_agent))
    if args.referer is not None:
        headers.append(("Referer", args.referer))
    if args.cookie is not None:
        headers.append(("Cookie", args.cookie))
    params: list[tuple[str, str]] = []
    data = list(args.data or []) + list(args.data_urlencode or [])
    body = Body()
    method = "GET"
    if args.json:
        text = "".join(args.json)
        try:
            json.loads(text)
        except ValueError as exc:
            raise InvalidRequest(f"the --json body is invalid JSON: {exc}") from exc
        body = Body(kind="json", text=text)
        method = "POST"
        if not any(name.lower() == "accept" for name, _ in headers):
            headers.append(("Accept", "application/json"))
    elif getattr(args, "upload_file", None):
        content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
        body = Body(kind="file", path=args.upload_file, content_type=content_type)
        method = "PUT"
    elif args.form:
        fields = []
        for item in args.form:
            name, sep, value = item.partition("=")
            if not sep:
                raise InvalidRequest(f"form field {item!r} is not NAME=VALUE")
            fields.append((name, value))
        body = Body(kind="multipart", fields=tuple(fields))
        method = "POST"
    elif data and args.get:
        for item in data:
            params.extend(parse_qsl(item, keep_blank_values=True))
    elif data:
        text, path = _data(data)
        content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
        if path:
            body = Body(kind="file", path=path, content_type=content_type)
        else:
            body = Body(kind="text", text=text,
                        content_type=content_type or "application/x-www-form-urlencoded")
        method = "POST"
    if args.head:
        method = "HEAD"
    if args.method:
        method = args.method.upper()
    # Content-Type travels with the body; keeping it in both places would send it twice.
    if body.kind in ("text", "file"):
        headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
    auth = Auth()
    if args.user is not None:
        username, _, password = args.user.partition(":")
        auth = Auth(kind="basic", username=username, password=password)
    elif args.bearer is not None:
        auth = Auth(kind="bearer", token=args.bearer)
    defaults = Options()
    options = Options(
        timeout=args.max_time if args.max_time is not None else defaults.timeout,
        follow_redirects=bool(args.location),
        max_redirects=args.max_redirs if args.max_redirs is not None else defaults.max_redirects,
        verify=not args.insecure,
        ca_bundle=args.cacert or "",
        http2=bool(args.http2),
        proxy=args.proxy or "",
    )
    spec = RequestSpec(method=method, url=url, headers=tuple(headers), params=tuple(params),
                       body=body, auth=auth, options=options)
    return ParsedCurl(spec, notes)


def parse_curl_command(command: ShellCommand) -> ParsedCurl:
    """One split command as a request; raises ``InvalidRequest`` naming the problem.

    A command that would make the shell run or redirect something is refused: httpdiff
    never executes it, and cannot know what it would have produced.
    """
    if command.problem:
        raise InvalidRequest(command.problem)
    tokens = list(command.words)
    if not tokens or tokens[0] != "curl":
        raise InvalidRequest("not a curl command (it must start with 'curl')")
    parser = _Parser(prog="curl", add_help=False, allow_abbrev=False)
    add_curl_arguments(parser)
    parser.add_argument("urls", nargs="*")
    args, unknown = parser.parse_known_args(tokens[1:])
    urls = list(args.urls)
    if args.url_flag:
        urls.insert(0, args.url_flag)
    unknown_flags = [tok for tok in unknown if tok.startswith("-")]
    urls.extend(tok for tok in unknown if not tok.startswith("-"))
    if not urls:
        raise InvalidRequest("the curl command has no URL")
    parsed = spec_from_args(args, urls[0])
    if command.variables:
        names = " ".join(dict.fromkeys(command.variables))
        parsed.notes.append(f"shell variables kept as written, not expanded: {names} "
                            "(httpdiff's own variables are written {{name}})")
    if unknown_flags:
        parsed.notes.append("not understood, left out: " + " ".join(unknown_flags))
    if len(urls) > 1:
        parsed.notes.append("only the first URL was taken; left out: " + " ".join(urls[1:]))
    return parsed


def parse_curl_with_notes(text: str) -> ParsedCurl:
    """Parse one ``curl ...`` command line; raises ``InvalidRequest`` naming the problem."""
    commands = split_commands(text)
    if len(commands) > 1:
        lines = ", ".join(str(c.line) for c in commands[:5])
        raise InvalidRequest(f"{len(commands)} commands (lines {lines}); give one, or import "
                             "them all with 'httpdiff import curl FILE'")
    if not commands:
        raise InvalidRequest("not a curl command (it must start with 'curl')")
    return parse_curl_command(commands[0])


def parse_curl(text: str) -> RequestSpec:
    return parse_curl_with_notes(text).spec


def to_curl(spec: RequestSpec) -> str:
    """A curl command that sends the same request (as closely as curl can express it)."""
    q = shlex.quote
    url = spec.url
    if spec.params:
        from urllib.parse import urlencode

        sep = "&" if urlsplit(url).query else "?"
        url = f"{url}{sep}{urlencode(spec.params)}"
    parts = ["curl"]
    body = spec.body
    default_method = "POST" if body.kind != "none" else "GET"
    if spec.method != default_method:
        parts += ["-X", q(spec.method)]
    parts.append(q(url))
    for name, value in spec.headers:
        parts += ["-H", q(f"{name}: {value}" if value else f"{name};")]
    if body.kind == "json":
        parts += ["--json", q(body.text)]
    elif body.kind == "text":
        if body.content_type:
            parts += ["-H", q(f"Content-Type: {body.content_type}")]
        parts += ["--data-raw", q(body.text)]
    elif body.kind == "file":
        if body.content_type:
            parts += ["-H", q(f"Content-Type: {body.content_type}")]
        parts += ["--data-binary", q("@" + body.path)]
    elif body.kind == "form":
        from urllib.parse import urlencode

        parts += ["--data-raw", q(urlencode(body.fields))]
    elif body.kind == "multipart":
        for name, value in body.fields:
            parts += ["-F", q(f"{name}={value}")]
    if spec.auth.kind == "basic":
        parts += ["-u", q(f"{spec.auth.username}:{spec.auth.password}")]
    elif spec.auth.kind == "bearer":
        parts += ["--oauth2-bearer", q(spec.auth.token)]
    opts, defaults = spec.options, Options()
    if opts.follow_redirects:
        parts.append("-L")
    if opts.max_redirects != defaults.max_redirects:
        parts += ["--max-redirs", str(opts.max_redirects)]
    if opts.timeout != defaults.timeout:
        parts += ["-m", f"{opts.timeout:g}"]
    if not opts.verify:
        parts.append("-k")
    if opts.ca_bundle:
        parts += ["--cacert", q(opts.ca_bundle)]
    if opts.http2:
        parts.append("--http2")
    if opts.proxy:
        parts += ["-x", q(opts.proxy)]
    return " ".join(parts)
