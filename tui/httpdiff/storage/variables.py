"""``{{name}}`` variables in a request: resolving them, masking secrets, redacting output.

A request file keeps its variables unresolved; they are filled in just before
a send from, in order, the chosen environment (``variables``) and the secrets
(the collection's ``.env``, then the process environment). Substitution is one
pass: a value that itself contains ``{{x}}`` is sent as written, so there are
no cycles to detect and a secret can never pull in another variable.

Secret values must never be written to a file or shown: ``masked`` gives the
request with each secret as ``•••`` for display, and ``secret_values`` lists the
strings (and the encodings a client derives from them: percent-encoding, the
basic-auth token) that ``redact``/``redact_document`` take out of any output
built from the resolved request, such as the headers a backend actually sent.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote, quote_plus

from httpdiff.errors import InvalidRequest
from httpdiff.model import RequestSpec

MASK = "•••"
VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")
"""``{{name}}``, spaces inside the braces allowed; anything else in braces is literal text."""

Lookup = Callable[[str, str, str], str]
"""(variable name, the whole ``{{...}}`` text, the place it appears) -> replacement."""


def _pairs(
    items: tuple[tuple[str, str], ...], what: str, sub: Callable[[str, str], str]
) -> tuple[tuple[str, str], ...]:
    return tuple((sub(name, f"{what} name"), sub(value, f"{what} {name}")) for name, value in items)


def substitute(spec: RequestSpec, lookup: Lookup) -> RequestSpec:
    """``spec`` with every ``{{name}}`` replaced by ``lookup``; each place is named for errors."""

    def sub(text: str, place: str) -> str:
        if "{{" not in text:
            return text
        return VARIABLE.sub(lambda m: lookup(m.group(1), m.group(0), place), text)

    body, auth, options = spec.body, spec.auth, spec.options
    return replace(
        spec,
        url=sub(spec.url, "URL"),
        params=_pairs(spec.params, "query parameter", sub),
        headers=_pairs(spec.headers, "header", sub),
        body=replace(
            body,
            text=sub(body.text, "body"),
            fields=_pairs(body.fields, "form field", sub),
            path=sub(body.path, "body file path"),
            content_type=sub(body.content_type, "body content type"),
        ),
        auth=replace(
            auth,
            username=sub(auth.username, "auth username"),
            password=sub(auth.password, "auth password"),
            token=sub(auth.token, "bearer token"),
        ),
        options=replace(
            options,
            proxy=sub(options.proxy, "proxy"),
            ca_bundle=sub(options.ca_bundle, "CA bundle"),
        ),
    )


def variables_in(spec: RequestSpec) -> tuple[str, ...]:
    """Every variable name a request uses, in order of first appearance."""
    seen: dict[str, None] = {}

    def record(name: str, whole: str, place: str) -> str:
        seen.setdefault(name)
        return whole

    substitute(spec, record)
    return tuple(seen)


def resolve(
    spec: RequestSpec,
    variables: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    reference: Callable[[str, str], str] | None = None,
) -> RequestSpec:
    """The request ready to send; an undefined variable raises ``InvalidRequest`` naming it
    and the place, e.g. ``undefined variable {{x}} in header X-Token``.

    ``reference(name, place)``, when given, is what each secret becomes instead of its
    value: an exporter passes a placeholder, so the value never leaves, while the
    environment's variables and the undefined ones are treated exactly as for a send.
    """

    def lookup(name: str, whole: str, place: str) -> str:
        if name in variables:
            return variables[name]
        if name in secrets:
            return secrets[name] if reference is None else reference(name, place)
        raise InvalidRequest(f"undefined variable {{{{{name}}}}} in {place}")

    return substitute(spec, lookup)


def masked(
    spec: RequestSpec, variables: Mapping[str, str], secrets: Mapping[str, str]
) -> RequestSpec:
    """The request for display: environment values filled in, secrets shown as ``•••``,
    undefined variables left as written (display never fails)."""

    def lookup(name: str, whole: str, place: str) -> str:
        if name in variables:
            return variables[name]
        if name in secrets:
            return MASK
        return whole

    return substitute(spec, lookup)


def secrets_used(
    spec: RequestSpec, variables: Mapping[str, str], secrets: Mapping[str, str]
) -> dict[str, str]:
    """The secrets this request draws on (an environment variable of the same name wins)."""
    return {
        name: secrets[name]
        for name in variables_in(spec)
        if name not in variables and name in secrets
    }


def secret_values(
    spec: RequestSpec, variables: Mapping[str, str], secrets: Mapping[str, str]
) -> tuple[str, ...]:
    """Every string that would reveal a secret this request uses, longest first.

    Besides the values themselves: their percent-encodings (a secret in a query
    parameter), their JSON escaping, and the basic-auth token when a secret is part
    of the user name or password.
    """
    used = secrets_used(spec, variables, secrets)
    forms: set[str] = set()
    for value in used.values():
        if value:
            forms.update((value, quote(value, safe=""), quote_plus(value),
                          json.dumps(value)[1:-1]))
    auth = spec.auth
    in_auth = {*VARIABLE.findall(auth.username), *VARIABLE.findall(auth.password)}
    if auth.kind == "basic" and in_auth & used.keys():
        resolved = resolve(RequestSpec(auth=auth), variables, secrets).auth
        pair = f"{resolved.username}:{resolved.password}".encode()
        forms.add(base64.b64encode(pair).decode("ascii"))
    return tuple(sorted((f for f in forms if f), key=lambda f: (-len(f), f)))


def redact(text: str, values: tuple[str, ...]) -> str:
    """``text`` with every secret form in ``values`` replaced by ``•••``."""
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    return text


def redact_document(doc: Any, values: tuple[str, ...]) -> Any:
    """A copy of a JSON-like document with every string redacted (keys included)."""
    if not values:
        return doc
    if isinstance(doc, str):
        return redact(doc, values)
    if isinstance(doc, dict):
        return {redact_document(k, values): redact_document(v, values) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [redact_document(item, values) for item in doc]
    return doc
