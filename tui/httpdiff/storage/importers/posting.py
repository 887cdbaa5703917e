"""Posting collections (a folder of ``*.posting.yaml`` files and ``*.env`` files) to requests.

The format follows darrenburns/posting's ``collection.py``: a request file holds
``name``, ``method``, ``url``, ``headers`` / ``params`` (lists of ``{name, value,
enabled}``), ``body`` (``content`` + ``content_type``, or ``form_data``; older files
have a plain string), ``auth`` (``basic`` / ``digest`` / ``bearer_token``), ``scripts``
and ``options``. Sub-folders are groups in both tools, so paths carry over. Posting
substitutes variables with ``string.Template`` (``$var`` / ``${var}``, ``$$`` for a
dollar sign); they become httpdiff's ``{{var}}``. Each ``NAME.env`` file beside the
requests becomes the environment NAME; a bare ``.env`` is left alone (it is where
httpdiff, too, expects secrets, and httpdiff never writes one).

Posting's own defaults (redirects followed, 5 s timeout) are written into each request,
so the import sends what Posting sent. Scripts, cookies, digest auth and disabled
entries are listed in the notes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body, Header, Options, RequestSpec
from httpdiff.storage.environment import parse_dotenv
from httpdiff.storage.importers.common import (
    ImportResult,
    check_header_name,
    check_line,
    check_method,
    expect,
    scalar_text,
    settle_content_type,
    slug,
)

SUFFIX = ".posting.yaml"
POSTING_TIMEOUT_S = 5.0
MAX_FILES = 10_000
_TEMPLATE = re.compile(r"\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\})")


def convert_variables(text: str) -> str:
    """Posting's ``$var`` / ``${var}`` as ``{{var}}``; ``$$`` is a literal dollar sign."""

    def swap(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        return "{{" + (match.group(2) or match.group(3)) + "}}"

    return _TEMPLATE.sub(swap, text)


def _text(value: Any, source: str, place: str) -> str:
    return convert_variables(scalar_text(value, source, place))


def _pairs(value: Any, source: str, place: str, what: str,
           notes: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for i, entry in enumerate(expect([] if value is None else value, list, source, place)):
        where = f"{place}[{i}]"
        expect(entry, dict, source, where)
        name = _text(entry.get("name"), source, f"{where}.name")
        text = _text(entry.get("value"), source, f"{where}.value")
        if entry.get("enabled", True) is False:
            notes.append(f"{source} {where}: disabled {what} {name!r} left out")
            continue
        pairs.append((name, text))
    return pairs


def _body(value: Any, source: str, notes: list[str]) -> Body:
    if value is None:
        return Body()
    if isinstance(value, str):  # early Posting versions wrote the body as a plain string
        return Body(kind="text", text=convert_variables(value)) if value else Body()
    expect(value, dict, source, "body")
    content = _text(value.get("content"), source, "body.content")
    content_type = scalar_text(value.get("content_type"), source, "body.content_type").strip()
    check_line(content_type, source, "body.content_type")
    form = _pairs(value.get("form_data"), source, "body.form_data", "form field", notes)
    if form:
        if content:
            notes.append(f"{source} body: both content and form_data; the form was taken, "
                         "as Posting does")
        return Body(kind="form", fields=tuple(form))
    if not content:
        return Body()
    base = content_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        extra = "" if content_type.lower() == "application/json" else content_type
        return Body(kind="json", text=content, content_type=extra)
    return Body(kind="text", text=content, content_type=content_type)


def _auth(value: Any, source: str, notes: list[str]) -> Auth:
    if value is None:
        return Auth()
    expect(value, dict, source, "auth")
    kind = scalar_text(value.get("type"), source, "auth.type")
    if not kind:
        return Auth()
    params = expect({} if value.get(kind) is None else value[kind], dict, source, f"auth.{kind}")
    if kind == "basic":
        return Auth(kind="basic",
                    username=_text(params.get("username"), source, "auth.basic.username"),
                    password=_text(params.get("password"), source, "auth.basic.password"))
    if kind == "bearer_token":
        return Auth(kind="bearer", token=_text(params.get("token"), source,
                                               "auth.bearer_token.token"))
    notes.append(f"{source} auth: auth type {kind!r} is not supported; the request is sent "
                 "without it")
    return Auth()


def _options(value: Any, source: str, notes: list[str]) -> Options:
    options = Options(follow_redirects=True, timeout=POSTING_TIMEOUT_S)
    if value is None:
        return options
    expect(value, dict, source, "options")
    if "follow_redirects" in value:
        options = replace(options, follow_redirects=bool(
            expect(value["follow_redirects"], bool, source, "options.follow_redirects")))
    if "verify_ssl" in value:
        options = replace(options, verify=bool(
            expect(value["verify_ssl"], bool, source, "options.verify_ssl")))
    if "timeout" in value:
        timeout = expect(value["timeout"], (int, float), source, "options.timeout")
        if not 0 < timeout < 1e9:
            raise LoadError(source, f"options.timeout: must be more than 0, not {timeout}")
        options = replace(options, timeout=float(timeout))
    proxy = _text(value.get("proxy_url"), source, "options.proxy_url")
    if proxy:
        options = replace(options, proxy=check_line(proxy, source, "options.proxy_url"))
    if value.get("attach_cookies") is False:
        notes.append(f"{source} options: attach_cookies=false has no httpdiff equivalent")
    return options


def import_posting_request(text: str, source: str) -> tuple[RequestSpec, list[str]]:
    """One ``*.posting.yaml`` document as a request, and its notes."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise LoadError(source, f"{where}: {problem}") from exc
    except (RecursionError, ValueError) as exc:
        raise LoadError(source, f"YAML: cannot be read ({type(exc).__name__})") from exc
    document = expect(document, dict, source, "top level")
    notes: list[str] = []
    method = check_method(scalar_text(document.get("method"), source, "method") or "GET",
                          source, "method")
    url = check_line(_text(document.get("url"), source, "url").strip(), source, "url")
    headers: list[Header] = []
    for i, (name, value) in enumerate(
            _pairs(document.get("headers"), source, "headers", "header", notes)):
        headers.append((check_header_name(name, source, f"headers[{i}].name"),
                        check_line(value.strip(), source, f"headers[{i}].value")))
    params = _pairs(document.get("params"), source, "params", "query parameter", notes)
    for i, (name, value) in enumerate(params):
        check_line(name + value, source, f"params[{i}]")
    body = _body(document.get("body"), source, notes)
    headers, body = settle_content_type(headers, body, notes, f"{source} headers")
    auth = _auth(document.get("auth"), source, notes)
    scripts = document.get("scripts")
    if isinstance(scripts, dict):
        for hook in ("setup", "on_request", "on_response"):
            if scripts.get(hook):
                notes.append(f"{source} scripts.{hook}: script "
                             f"{str(scripts[hook])[:80]!r} not carried over")
    if document.get("cookies"):
        notes.append(f"{source} cookies: cookies are not carried over")
    spec = RequestSpec(method=method, url=url, headers=tuple(headers), params=tuple(params),
                       body=body, auth=auth, options=_options(document.get("options"), source,
                                                              notes))
    return spec, notes


def _read(path: Path, source: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(source, f"byte {exc.start}: not UTF-8 text") from exc
    except OSError as exc:
        raise LoadError(source, f"cannot be read: {exc.strerror or exc}") from exc


def import_posting(root: Path) -> ImportResult:
    """Every request and environment of the Posting collection at ``root`` (only read)."""
    if not root.is_dir():
        raise LoadError(str(root), "not a folder (a Posting collection is a folder)")
    result = ImportResult()
    files = sorted(p for p in root.rglob(f"*{SUFFIX}") if p.is_file())
    if len(files) > MAX_FILES:
        raise LoadError(str(root), f"more than {MAX_FILES} request files")
    for path in files:
        relative = path.relative_to(root).as_posix()[: -len(SUFFIX)]
        spec, notes = import_posting_request(_read(path, str(path)), str(path))
        result.notes.extend(notes)
        result.add(relative, spec, str(path))
    for path in sorted(root.glob("*.env")):
        if path.name == ".env":
            result.notes.append(f"{path}: left alone (secrets): copy it to the collection's "
                                ".env yourself")
            continue
        values = parse_dotenv(_read(path, str(path)), str(path))
        result.environments[slug(path.stem, "default")] = {
            key: convert_variables(value) for key, value in values.items()}
    if not result.requests:
        raise LoadError(str(root), f"no *{SUFFIX} files found")
    return result.finish(str(root))
