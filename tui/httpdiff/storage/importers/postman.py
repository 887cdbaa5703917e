"""Postman collections (v2.0 / v2.1 JSON) and Postman environments to requests.

Folders become groups (sub-folders of the collection); each request keeps Postman's
``{{var}}`` references, which httpdiff uses too. What Postman does for the user at send
time is made explicit so the import sends the same thing: the Content-Type a raw body's
language implies, ``:name`` path variables filled in, auth inherited from folders and
the collection, redirects followed unless the request says not to.

Collection variables become the "default" environment and are merged under each
imported Postman environment (an environment's value wins, as in Postman), because
httpdiff applies one environment at a time. Secret-typed environment values are left out
(they belong in the collection's ``.env``). Scripts, tests, disabled entries, per-field
content types and auth types httpdiff lacks are listed in the notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from httpdiff.errors import LoadError
from httpdiff.model import Auth, Body, Header, Options, RequestSpec
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

_LANGUAGE_TYPES = {
    "text": "text/plain", "javascript": "application/javascript", "xml": "application/xml",
    "html": "text/html",
}
_MAX_DEPTH = 64


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise LoadError(source, f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise LoadError(source, "$: nested too deeply") from exc


@dataclass
class _Walk:
    source: str
    result: ImportResult

    def note(self, place: str, what: str) -> None:
        self.result.notes.append(f"{self.source} {place}: {what}")


def _pairs(value: Any, walk: _Walk, place: str, what: str) -> list[tuple[str, str]]:
    """Enabled ``{key, value}`` entries of a Postman list; disabled ones are noted."""
    if value is None:
        return []
    expect(value, list, walk.source, place)
    pairs: list[tuple[str, str]] = []
    for i, entry in enumerate(value):
        where = f"{place}[{i}]"
        expect(entry, dict, walk.source, where)
        key = scalar_text(entry.get("key"), walk.source, f"{where}.key")
        text = scalar_text(entry.get("value"), walk.source, f"{where}.value")
        if not key and not text:
            continue  # the empty row Postman's editor keeps at the end of a table
        if entry.get("disabled") is True:
            walk.note(where, f"disabled {what} {key!r} left out")
            continue
        pairs.append((key, text))
    return pairs


def _url(value: Any, walk: _Walk, place: str) -> tuple[str, list[tuple[str, str]]]:
    """(URL without query, query params) from Postman's string or object form."""
    if value is None:
        raise LoadError(walk.source, f"{place}: the request has no URL")
    if isinstance(value, str):
        return value.strip(), []
    expect(value, dict, walk.source, place)
    raw = scalar_text(value.get("raw"), walk.source, f"{place}.raw").strip()
    if "query" in value:
        params = _pairs(value["query"], walk, f"{place}.query", "query parameter")
        base = raw.split("?", 1)[0]
    else:
        params, base = [], raw
    if not base:
        base = _built_url(value, walk, place)
    base = base.split("#", 1)[0]
    variables = dict(_pairs(value.get("variable"), walk, f"{place}.variable", "path variable"))
    segments = []
    for segment in base.split("/"):
        if segment.startswith(":") and len(segment) > 1:
            name = segment[1:]
            filled = variables.get(name, "")
            if not filled:
                walk.note(f"{place}.variable", f"path variable :{name} has no value; "
                          f"it became {{{{{name}}}}}")
            segments.append(filled or f"{{{{{name}}}}}")
        else:
            segments.append(segment)
    return "/".join(segments), params


def _built_url(value: dict[str, Any], walk: _Walk, place: str) -> str:
    def joined(key: str, sep: str) -> str:
        part = value.get(key)
        if isinstance(part, list):
            return sep.join(scalar_text(p, walk.source, f"{place}.{key}") for p in part)
        return scalar_text(part, walk.source, f"{place}.{key}")

    host, path = joined("host", "."), joined("path", "/")
    if not host:
        raise LoadError(walk.source, f"{place}: the URL has neither 'raw' nor 'host'")
    protocol = scalar_text(value.get("protocol"), walk.source, f"{place}.protocol") or "http"
    port = scalar_text(value.get("port"), walk.source, f"{place}.port")
    return f"{protocol}://{host}{':' + port if port else ''}/{path}"


def _headers(value: Any, walk: _Walk, place: str) -> list[Header]:
    if value is None:
        return []
    if isinstance(value, str):  # the schema allows one "Name: value\nName: value" string
        lines = [line for line in value.splitlines() if line.strip()]
        value = [{"key": k, "value": v.strip()} for k, _, v in (ln.partition(":") for ln in lines)]
    headers = []
    for i, (name, text) in enumerate(_pairs(value, walk, place, "header")):
        where = f"{place}[{i}]"
        headers.append((check_header_name(name, walk.source, where),
                        check_line(text.strip(), walk.source, where)))
    return headers


def _body(value: Any, walk: _Walk, place: str) -> tuple[Body, str]:
    """(body, content type Postman adds for it when no header sets one)."""
    if value is None or value == {}:
        return Body(), ""
    expect(value, dict, walk.source, place)
    if value.get("disabled") is True:
        walk.note(place, "disabled body left out")
        return Body(), ""
    mode = scalar_text(value.get("mode"), walk.source, f"{place}.mode")
    if mode == "raw":
        text = scalar_text(value.get("raw"), walk.source, f"{place}.raw")
        options = value.get("options")
        language = "text"
        if isinstance(options, dict) and isinstance(options.get("raw"), dict):
            language = scalar_text(options["raw"].get("language"), walk.source,
                                   f"{place}.options.raw.language") or "text"
        if not text:
            return Body(), ""
        if language == "json":
            return Body(kind="json", text=text), ""
        return Body(kind="text", text=text), _LANGUAGE_TYPES.get(language, "text/plain")
    if mode == "urlencoded":
        fields = _pairs(value.get("urlencoded"), walk, f"{place}.urlencoded", "form field")
        return Body(kind="form", fields=tuple(fields)), ""
    if mode == "formdata":
        return _formdata(value.get("formdata"), walk, f"{place}.formdata"), ""
    if mode == "file":
        file = value.get("file")
        src = scalar_text(file.get("src"), walk.source, f"{place}.file.src") if isinstance(
            file, dict) else ""
        if not src:
            walk.note(place, "file body without a file left out")
            return Body(), ""
        return Body(kind="file", path=src), ""
    if mode == "graphql":
        raw_graphql = value.get("graphql")
        graphql = expect({} if raw_graphql is None else raw_graphql, dict, walk.source,
                         f"{place}.graphql")
        query = scalar_text(graphql.get("query"), walk.source, f"{place}.graphql.query")
        variables_text = scalar_text(graphql.get("variables"), walk.source,
                                     f"{place}.graphql.variables")
        try:
            variables = json.loads(variables_text) if variables_text.strip() else {}
        except (ValueError, RecursionError):
            walk.note(place, "GraphQL variables are not valid JSON; sent as a string")
            variables = variables_text
        walk.note(place, "GraphQL body sent as the JSON document Postman posts")
        return Body(kind="json", text=json.dumps({"query": query, "variables": variables})), ""
    walk.note(place, f"body mode {mode!r} is not supported; left out")
    return Body(), ""


def _formdata(value: Any, walk: _Walk, place: str) -> Body:
    fields: list[tuple[str, str]] = []
    for i, entry in enumerate(expect([] if value is None else value, list, walk.source, place)):
        where = f"{place}[{i}]"
        expect(entry, dict, walk.source, where)
        key = scalar_text(entry.get("key"), walk.source, f"{where}.key")
        if entry.get("disabled") is True:
            walk.note(where, f"disabled form field {key!r} left out")
            continue
        if entry.get("contentType"):
            walk.note(where, f"the content type of form field {key!r} is not carried over")
        if entry.get("type") == "file":
            sources = entry.get("src")
            paths = sources if isinstance(sources, list) else [sources]
            for j, path in enumerate(paths):
                path_text = scalar_text(path, walk.source, f"{where}.src[{j}]")
                if path_text:
                    fields.append((key, "@" + path_text))
                else:
                    walk.note(where, f"file field {key!r} has no file; left out")
        else:
            text = scalar_text(entry.get("value"), walk.source, f"{where}.value")
            if text.startswith("@"):
                walk.note(where, f"form field {key!r} starts with '@' and would be read as "
                          "a file path")
            fields.append((key, text))
    return Body(kind="multipart", fields=tuple(fields))


def _auth(value: Any, walk: _Walk, place: str) -> Auth | None:
    """The request's own auth, ``Auth()`` for "noauth", or None to inherit."""
    if value is None:
        return None
    expect(value, dict, walk.source, place)
    kind = scalar_text(value.get("type"), walk.source, f"{place}.type")
    if kind in ("noauth", ""):
        return Auth()
    if kind == "inherit":
        return None
    params = value.get(kind)
    if isinstance(params, dict):  # v2.0 wrote {"username": ..., "password": ...}
        entries = {str(k): scalar_text(v, walk.source, f"{place}.{kind}.{k}")
                   for k, v in params.items()}
    else:
        entries = {}
        listed = expect([] if params is None else params, list, walk.source, f"{place}.{kind}")
        for i, entry in enumerate(listed):
            expect(entry, dict, walk.source, f"{place}.{kind}[{i}]")
            key = scalar_text(entry.get("key"), walk.source, f"{place}.{kind}[{i}].key")
            entries[key] = scalar_text(entry.get("value"), walk.source,
                                       f"{place}.{kind}[{i}].value")
    if kind == "basic":
        return Auth(kind="basic", username=entries.get("username", ""),
                    password=entries.get("password", ""))
    if kind == "bearer":
        return Auth(kind="bearer", token=entries.get("token", ""))
    walk.note(place, f"auth type {kind!r} is not supported; the request is sent without it")
    return Auth()


def _scripts(item: dict[str, Any], walk: _Walk, place: str) -> None:
    events = item.get("event")
    if not isinstance(events, list):
        return
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        script = event.get("script")
        code = script.get("exec") if isinstance(script, dict) else None
        if code and (not isinstance(code, list) or any(str(line).strip() for line in code)):
            listen = scalar_text(event.get("listen"), walk.source, f"{place}.event[{i}].listen")
            what = {"prerequest": "pre-request script", "test": "test script"}.get(
                listen, f"{listen or 'event'} script")
            walk.note(f"{place}.event[{i}]", f"{what} not carried over")


def _options(item: dict[str, Any], walk: _Walk, place: str) -> Options:
    options = Options(follow_redirects=True)  # Postman follows redirects by default
    behaviour = item.get("protocolProfileBehavior")
    if not isinstance(behaviour, dict):
        return options
    if behaviour.get("followRedirects") is False:
        options = replace(options, follow_redirects=False)
    if isinstance(behaviour.get("maxRedirects"), int) and not isinstance(
            behaviour["maxRedirects"], bool):
        options = replace(options, max_redirects=max(0, min(behaviour["maxRedirects"], 1000)))
    if behaviour.get("strictSSL") is False:
        options = replace(options, verify=False)
    return options


def _request(item: dict[str, Any], group: str, inherited: Auth, walk: _Walk,
             place: str) -> None:
    name = scalar_text(item.get("name"), walk.source, f"{place}.name")
    request = item["request"]
    if isinstance(request, str):
        request = {"url": request}
    request = expect(request, dict, walk.source, f"{place}.request")
    where = f"{place}.request"
    method = check_method(scalar_text(request.get("method"), walk.source, f"{where}.method")
                          or "GET", walk.source, f"{where}.method")
    url, params = _url(request.get("url"), walk, f"{where}.url")
    check_line(url, walk.source, f"{where}.url")
    for key, value in params:
        check_line(key + value, walk.source, f"{where}.url.query")
    headers = _headers(request.get("header"), walk, f"{where}.header")
    body, implied_type = _body(request.get("body"), walk, f"{where}.body")
    headers, body = settle_content_type(headers, body, walk.result.notes,
                                        f"{walk.source} {where}")
    if implied_type and not body.content_type and not any(
            n.lower() == "content-type" for n, _ in headers):
        body = replace(body, content_type=implied_type)
    own = _auth(request.get("auth"), walk, f"{where}.auth")
    _scripts(item, walk, place)
    spec = RequestSpec(method=method, url=url, headers=tuple(headers), params=tuple(params),
                       body=body, auth=inherited if own is None else own,
                       options=_options(item, walk, place))
    walk.result.add(f"{group}/{slug(name)}" if group else slug(name), spec,
                    f"{walk.source} {place}")


def _items(items: Any, group: str, inherited: Auth, walk: _Walk, place: str,
           depth: int = 0) -> None:
    if depth > _MAX_DEPTH:
        raise LoadError(walk.source, f"{place}: folders nested too deeply")
    for i, item in enumerate(expect(items, list, walk.source, place)):
        where = f"{place}[{i}]"
        expect(item, dict, walk.source, where)
        if "item" in item:
            name = scalar_text(item.get("name"), walk.source, f"{where}.name")
            own = _auth(item.get("auth"), walk, f"{where}.auth")
            _scripts(item, walk, where)
            sub = f"{group}/{slug(name, 'folder')}" if group else slug(name, "folder")
            _items(item["item"], sub, inherited if own is None else own, walk,
                   f"{where}.item", depth + 1)
        elif "request" in item:
            _request(item, group, inherited, walk, where)
        else:
            raise LoadError(walk.source, f"{where}: neither a request nor a folder")


def import_postman_collection(text: str, source: str = "<postman>") -> ImportResult:
    """A Postman collection; ``{{var}}`` stays, collection variables -> "default"."""
    document = expect(parse_json(text, source), dict, source, "$")
    walk = _Walk(source, ImportResult())
    if "item" not in document:
        if "requests" in document:
            raise LoadError(source, "$: a Postman v1 collection; export it as v2.1")
        raise LoadError(source, "$.item: missing: not a Postman collection")
    info = document.get("info")
    if isinstance(info, dict):
        schema = scalar_text(info.get("schema"), source, "$.info.schema")
        if schema and "collection" not in schema:
            raise LoadError(source, f"$.info.schema: not a Postman collection schema: "
                            f"{schema[:80]!r}")
    inherited = _auth(document.get("auth"), walk, "$.auth") or Auth()
    _scripts(document, walk, "$")
    _items(document["item"], "", inherited, walk, "$.item")
    variables = _pairs(document.get("variable"), walk, "$.variable", "collection variable")
    if variables:
        walk.result.environments["default"] = dict(variables)
    return walk.result


def import_postman_environment(text: str, source: str = "<environment>") -> ImportResult:
    """A Postman environment export: its name and enabled, non-secret values."""
    document = expect(parse_json(text, source), dict, source, "$")
    values = document.get("values")
    if values is None:
        raise LoadError(source, "$.values: missing: not a Postman environment")
    walk = _Walk(source, ImportResult())
    name = slug(scalar_text(document.get("name"), source, "$.name"), "environment")
    variables: dict[str, str] = {}
    for i, entry in enumerate(expect(values, list, source, "$.values")):
        where = f"$.values[{i}]"
        expect(entry, dict, source, where)
        key = scalar_text(entry.get("key"), source, f"{where}.key")
        if entry.get("enabled") is False:
            walk.note(where, f"disabled variable {key!r} left out")
        elif entry.get("type") == "secret":
            walk.note(where, f"secret variable {key!r} left out: put it in the collection's "
                      ".env file")
        else:
            variables[key] = scalar_text(entry.get("value"), source, f"{where}.value")
    walk.result.environments[name] = variables
    return walk.result


def import_postman(text: str, source: str = "<postman>",
                   environments: list[tuple[str, str]] | None = None) -> ImportResult:
    """A collection plus any environments (each as (text, source)), merged as Postman does.

    A document that is itself an environment imports as just that environment.
    """
    document = parse_json(text, source)
    if isinstance(document, dict) and "values" in document and "item" not in document:
        result = import_postman_environment(text, source)
    else:
        result = import_postman_collection(text, source)
    shared = result.environments.get("default", {})
    for env_text, env_source in environments or []:
        extra = import_postman_environment(env_text, env_source)
        result.notes.extend(extra.notes)
        for name, variables in extra.environments.items():
            result.environments[name] = {**shared, **variables}
    return result.finish(source)


__all__ = ["import_postman", "import_postman_collection", "import_postman_environment"]
