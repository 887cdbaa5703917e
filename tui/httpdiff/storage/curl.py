"""curl command lines to requests and back.

One argparse definition of the curl flags httpdiff understands serves twice: to
turn a pasted ``curl ...`` command into a ``RequestSpec``, and as the flags of
``httpdiff compare`` (the CLI builds its parser on top of ``add_curl_arguments``),
so both accept exactly the same spelling. Flags that only change curl's own
output (``-s``, ``-v``, ``-i``...) are accepted and reported as ignored; flags
httpdiff does not know are reported, never dropped silently. The command line is
split by ``shell_words`` (shell quoting, continuations, comments); a command that
would make the shell run or redirect anything is refused, never executed.

``to_curl`` goes the other way. Given the ``References`` of an export, a secret is
written as a read of a shell variable (``'Bearer '"$TOKEN"``), never its value; a
query parameter or form field holding one goes through curl's own encoding
(``--url-query``, ``--data-urlencode``), since a send percent-encodes it.
"""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus, urlencode

from httpdiff.errors import InvalidRequest
from httpdiff.model import Auth, Body, Header, Options, RequestSpec
from httpdiff.outgoing import full_url
from httpdiff.storage.secret_refs import References
from httpdiff.storage.shell_words import ShellCommand, split_commands
from httpdiff.validate import parse_json

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
    # Into -d's list as it is parsed: the items keep their order on the command line.
    add("--data-urlencode", dest="data", action="append", metavar="DATA", type=_data_urlencode,
        help="body data, URL-encoded as curl does ([NAME]=CONTENT or CONTENT)")
    add("--url-query", dest="url_query", action="append", default=[], metavar="DATA",
        help="a query parameter, URL-encoded as --data-urlencode ('+' first: as is)")
    add("--json", dest="json", action="append", default=[], metavar="DATA",
        help="a JSON body (sets JSON content type), as curl's --json; @FILE sends a file as is")
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


def _data(items: Sequence[str], flag: str) -> tuple[str, str]:
    """(text, file path) for curl's -d or --json items; @file is read by the backends, not here.

    curl would join a file's content with the other items; httpdiff sends a file as it
    is, so a file among other items is refused rather than sent as the text "@file".
    """
    files = [item for item in items if item.startswith("@")]
    if "@-" in files:
        raise InvalidRequest(f"{flag} @- (the body from standard input) is not supported: "
                             f"save it to a file and give {flag} @FILE")
    if files and len(items) > 1:
        raise InvalidRequest(f"{flag} {files[0]} reads the whole body from a file: "
                             f"it cannot be combined with other {flag} data")
    if files:
        return "", files[0][1:]
    return ("" if flag == "--json" else "&").join(items), ""


def _urlencoded(item: str, flag: str) -> str:
    """One ``--data-urlencode`` / ``--url-query`` item encoded as curl encodes it: up to
    the first ``=`` or ``@``, ``NAME=CONTENT`` encodes the content, ``=CONTENT`` and a
    plain ``CONTENT`` all of it; ``[NAME]@FILE`` (content from a file) is refused."""
    found = re.search("[=@]", item)
    if found is not None and found.group() == "@":
        raise InvalidRequest(f"{flag} {item!r}: content from a file is not supported; "
                             "give the text itself")
    name, content = (item[:found.start()], item[found.end():]) if found else ("", item)
    encoded = quote_plus(content, safe="")
    return f"{name}={encoded}" if name else encoded


def _data_urlencode(item: str) -> str:
    try:
        return _urlencoded(item, "--data-urlencode")
    except InvalidRequest as exc:  # argparse names the flag and prints this
        raise argparse.ArgumentTypeError(str(exc)) from None


def _refuse_mixed_bodies(args: argparse.Namespace) -> None:
    """curl refuses -F with -d (one request has one body); --json with -d is refused too:
    curl joins them in command-line order, which the parsed flags no longer know."""
    given = [flag for flag, items in (("--json", args.json), ("-F/--form", args.form),
                                      ("-d/--data", args.data),
                                      ("-T/--upload-file", getattr(args, "upload_file", None)))
             if items]
    if len(given) > 1:
        raise InvalidRequest(f"{' and '.join(given)} cannot be combined: a request has one "
                             "body, give it with one of them")


def _body(args: argparse.Namespace, headers: list[Header]) -> tuple[Body, list[tuple[str, str]]]:
    """The body (and, with -G, the query parameters) from the body flags; may add Accept."""
    _refuse_mixed_bodies(args)
    data = list(args.data or [])
    content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
    if args.json:
        if not any(name.lower() == "accept" for name, _ in headers):
            headers.append(("Accept", "application/json"))
        text, path = _data(args.json, "--json")
        if path:  # sent as is, as curl does (it does not check a file's JSON either)
            return Body(kind="file", path=path,
                        content_type=content_type or "application/json"), []
        try:
            parse_json(text)
        except ValueError as exc:
            raise InvalidRequest(f"the --json body is invalid JSON: {exc}") from exc
        return Body(kind="json", text=text), []
    if upload := getattr(args, "upload_file", None):
        return Body(kind="file", path=upload, content_type=content_type), []
    if args.form:
        fields = []
        for item in args.form:
            name, sep, value = item.partition("=")
            if not sep:
                raise InvalidRequest(f"form field {item!r} is not NAME=VALUE")
            fields.append((name, value))
        return Body(kind="multipart", fields=tuple(fields)), []
    if data and args.get:
        return Body(), [pair for item in data for pair in parse_qsl(item, keep_blank_values=True)]
    if data:
        text, path = _data(data, "-d")
        if path:
            return Body(kind="file", path=path, content_type=content_type), []
        return Body(kind="text", text=text,
                    content_type=content_type or "application/x-www-form-urlencoded"), []
    return Body(), []


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
    body, params = _body(args, headers)
    for item in getattr(args, "url_query", None) or []:
        raw = item[1:] if item.startswith("+") else _urlencoded(item, "--url-query")
        params.extend(parse_qsl(raw, keep_blank_values=True))
    upload = getattr(args, "upload_file", None)
    method = "GET" if body.kind == "none" else ("PUT" if upload else "POST")
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


def _encoded_by_curl(pairs: tuple[tuple[str, str], ...], refs: References,
                     what: str) -> list[str]:
    """``pairs`` as curl arguments encoded as ``urlencode`` encodes them, a secret included:
    a literal pair pre-encoded, a pair holding a secret as ``name=value`` for curl to
    encode the value (curl takes the name as written)."""
    query = what == "query parameter"
    flag, literal_flag = (("--url-query", "--url-query") if query
                          else ("--data-urlencode", "--data-raw"))
    parts: list[str] = []
    for name, value in pairs:
        if not refs.found_in(name, value):
            # --url-query takes "+name=value" as already encoded
            parts += [literal_flag, refs.shell(("+" if query else "")
                                               + urlencode([(name, value)]))]
            continue
        if refs.found_in(name):
            refs.note(f"the secret in the {what} name {name!r} is put in as it is, not "
                      "percent-encoded")
        parts += [flag, refs.shell(f"{quote_plus(name)}={value}")]
    return parts


def _has_secret(refs: References, pairs: tuple[tuple[str, str], ...]) -> bool:
    return bool(refs.found_in(*(text for pair in pairs for text in pair)))


def to_curl(spec: RequestSpec, refs: References | None = None) -> str:
    """A curl command that sends the same request (as closely as curl can express it).

    With ``refs``, the request's secret placeholders become reads of shell variables.
    """
    q = refs.shell if refs is not None else shlex.quote
    parts = ["curl"]
    body = spec.body
    default_method = "POST" if body.kind != "none" else "GET"
    if spec.method != default_method:
        parts += ["-X", q(spec.method)]
    if refs is not None and _has_secret(refs, spec.params):
        # curl appends each --url-query to the URL's own query, in order
        parts += [q(spec.url), *_encoded_by_curl(spec.params, refs, "query parameter")]
    else:
        parts.append(q(full_url(spec)))
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
        if refs is not None and _has_secret(refs, body.fields):
            parts += _encoded_by_curl(body.fields, refs, "form field")
        else:
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
