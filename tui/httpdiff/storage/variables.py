"""``{{name}}`` variables in a request: resolving them, masking secrets, redacting output.

A request file keeps its variables unresolved; they are filled in just before
a send from, in order, the chosen environment (``variables``) and the secrets
(the collection's ``.env``, then the process environment). Substitution is one
pass: a value that itself contains ``{{x}}`` is sent as written, so there are
no cycles to detect and a secret can never pull in another variable.

Secret values must never be written to a file or shown: ``masked`` gives the
request with each secret as ``•••`` for display, and ``secret_values`` lists the
strings (and the encodings a client derives from them: percent-encoding, form
encoding, JSON escaping, the basic-auth token) that ``redact``/``redact_document``
take out of any output built from the resolved request, such as the headers a
backend actually sent. ``credential_values`` does the same for credentials
written into a request (``-u``, user info in a URL).

Redaction comes first, rendering second: ``redact_comparison`` cleans a whole
``Comparison`` (strings and bodies) before a report shortens, escapes or encodes
anything, because a secret cut to "sk_live_ABC…" or shown as ``repr`` no longer
matches what is being looked for.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

from httpdiff.errors import InvalidRequest
from httpdiff.model import Comparison, Outcome, RequestSpec

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


# Safe sets a URL or form encoder commonly leaves unencoded: none, ``quote``'s default, RFC
# 3986 path and query characters (httpx and yarl keep these in a query), and ``~`` alone.
_SAFE_SETS = ("", "/", "~", "!$&'()*+,;=:@/", "!$&'()*+,;=:@/?", "!$'()*,;:@/?")


def encoded_forms(value: str) -> set[str]:
    """``value`` and what a client or a report may make of it: percent-encoded with the
    common safe sets, form-encoded (``+`` for a space), JSON-escaped (ASCII or not)."""
    if not value:
        return set()
    forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    for safe in _SAFE_SETS:
        # surrogateescape: a command line's undecodable bytes, as typed (validation then
        # refuses them, and its message must be redacted already)
        forms.update((quote(value, safe=safe, errors="surrogateescape"),
                      quote_plus(value, safe=safe, errors="surrogateescape")))
    return forms


def basic_tokens(username: str, password: str) -> set[str]:
    """The ``Authorization: Basic`` token for this pair as either library may encode it
    (httpx: UTF-8; aiohttp: Latin-1), plus the same for the percent-decoded pair."""
    tokens: set[str] = set()
    for user, secret in {(username, password), (unquote(username), unquote(password))}:
        pair = f"{user}:{secret}"
        for encoding in ("utf-8", "latin-1"):
            try:
                tokens.add(base64.b64encode(pair.encode(encoding)).decode("ascii"))
            except UnicodeEncodeError:
                continue
    return tokens


def _userinfo(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:
        return None
    return None if username is None and password is None else (username or "", password or "")


def _longest_first(forms: set[str]) -> tuple[str, ...]:
    return tuple(sorted((f for f in forms if f), key=lambda f: (-len(f), f)))


def secret_values(
    spec: RequestSpec, variables: Mapping[str, str], secrets: Mapping[str, str]
) -> tuple[str, ...]:
    """Every string that would reveal a secret this request uses, longest first.

    Besides the values themselves (``encoded_forms``): the basic-auth token when a
    secret is part of the user name or password, or of the user info of the URL or the
    proxy (the libraries turn user info into an ``Authorization`` header).
    """
    used = secrets_used(spec, variables, secrets)
    forms: set[str] = set()
    for value in used.values():
        forms |= encoded_forms(value)
    auth = spec.auth
    in_auth = {*VARIABLE.findall(auth.username), *VARIABLE.findall(auth.password)}
    if auth.kind == "basic" and in_auth & used.keys():
        resolved = resolve(RequestSpec(auth=auth), variables, secrets).auth
        forms |= basic_tokens(resolved.username, resolved.password)
    for url in (spec.url, spec.options.proxy):
        if set(VARIABLE.findall(url)) & used.keys():
            pair = _userinfo(resolve(RequestSpec(url=url), variables, secrets).url)
            if pair is not None:
                forms |= basic_tokens(*pair)
    return _longest_first(forms)


def credential_values(spec: RequestSpec) -> tuple[str, ...]:
    """The strings that would reveal the credentials written into a (resolved) request,
    longest first: the basic-auth password or bearer token, the password in the URL's or
    the proxy's user info, and the ``Authorization`` tokens built from them. User names
    alone are not secret; the tokens that contain them are. A credential that still holds
    a ``{{variable}}`` is left to ``secret_values``: it is not the value that is sent."""
    forms: set[str] = set()
    auth = spec.auth
    if auth.kind == "basic" and auth.password and not _has_variable(auth.username, auth.password):
        forms |= encoded_forms(auth.password) | basic_tokens(auth.username, auth.password)
    if auth.kind == "bearer" and not _has_variable(auth.token):
        forms |= encoded_forms(auth.token)
    for url in (spec.url, spec.options.proxy):
        pair = _userinfo(url)
        if pair is not None and pair[1] and not _has_variable(*pair):
            forms |= encoded_forms(pair[1]) | encoded_forms(unquote(pair[1]))
            forms |= basic_tokens(*pair)
    return _longest_first(forms)


def _has_variable(*texts: str) -> bool:
    return any(VARIABLE.search(text) for text in texts)


def _hex(text: str) -> str:
    return "".join(f"[{h}{h.lower()}]" if h.isalpha() else h for h in text)


def _char(char: str) -> str:
    """A pattern for one character as it may appear once encoded: itself, its UTF-8
    percent-encoding, its JSON escape (``\\"``, ``\\u00e9``; hex in any case), and ``+``
    for a space. Servers echo URLs half-decoded, and reports JSON-encode what they quote,
    so the forms mix within one value."""
    options = {re.escape(char), re.escape(json.dumps(char)[1:-1])}
    options.add("".join(
        "%" + _hex(f"{byte:02X}") for byte in char.encode("utf-8", "surrogatepass")))
    units = char.encode("utf-16-be", "surrogatepass")
    options.add("".join(
        "\\\\u" + _hex(units[i:i + 2].hex().upper()) for i in range(0, len(units), 2)))
    if char == " ":
        options.add("\\+")
    if char == "/":
        options.add("\\\\/")
    return "(?:" + "|".join(sorted(options, key=len, reverse=True)) + ")"


@lru_cache(maxsize=64)
def _pattern(values: tuple[str, ...]) -> re.Pattern[str]:
    ordered = [v for v in sorted(set(values), key=lambda v: (-len(v), v)) if v]
    # A lookahead on the characters a match can start with lets the scan skip every
    # other position cheaply: several times faster on a large body.
    starts = {value[0] for value in ordered} | {"%", "\\", "+"}
    first = "".join(re.escape(c) for c in sorted(starts))
    alternatives = "|".join(_alternative(value) for value in ordered)
    return re.compile(f"(?=[{first}])(?:{alternatives})")


# Below this length a secret is masked only where it stands apart from letters and digits:
# a password "e" masked inside every word ("us•••r-ag•••nt") would make the output useless.
SHORT_SECRET = 8


def _alternative(value: str) -> str:
    pattern = "".join(_char(c) for c in value)
    if len(value) >= SHORT_SECRET:
        return pattern
    return f"(?<![0-9A-Za-z]){pattern}(?![0-9A-Za-z])"


def redact(text: str, values: tuple[str, ...]) -> str:
    """``text`` with every secret form in ``values`` replaced by ``•••``.

    Each character of a form may also appear percent-encoded (any hex case, any mix), so
    a URL encoder with a safe set not listed in ``encoded_forms`` is still caught.
    """
    if not text or not any(values):
        return text
    text = _pattern(values).sub(MASK, text)
    return _cut_tails(text, values) if CUT in text else text


CUT = "…"
# The shortest start of a secret taken for one when a value was cut right after it.
_LEAST_TAIL = 4


def _cut_tails(text: str, values: tuple[str, ...]) -> str:
    """Mask the start of a secret left just before a ``…``: the diff engine cuts long
    values (``jsondiff.compact``) before any redaction can see them whole."""
    pieces = text.split(CUT)
    for index, piece in enumerate(pieces[:-1]):
        longest = 0
        for value in values:
            for size in range(min(len(value) - 1, len(piece)), max(longest, _LEAST_TAIL - 1), -1):
                if piece.endswith(value[:size]):
                    longest = size
                    break
        if longest:
            pieces[index] = piece[:-longest] + MASK
    return CUT.join(pieces)


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


def _redacted(value: Any, values: tuple[str, ...]) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return redact(value, values)
    if isinstance(value, bytes):
        return redact(value.decode("utf-8", "surrogateescape"), values).encode(
            "utf-8", "surrogateescape")
    if isinstance(value, dict):
        return {_redacted(k, values): _redacted(v, values) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_redacted(item, values) for item in value)
    if isinstance(value, list):
        return [_redacted(item, values) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{
            f.name: _redacted(getattr(value, f.name), values) for f in fields(value) if f.init
        })
    return value


def redact_comparison(comparison: Comparison, values: tuple[str, ...]) -> Comparison:
    """The comparison with every secret form taken out of every string and body in it.

    Done before anything renders it: a report that shortens a value ("…"), escapes it
    (``repr``, JSON, XML) or base64-encodes a body would otherwise carry a piece or a
    disguise of the secret past a redaction of its output. A body that held a secret is
    redacted too, so its size and hash are those of what can be shown.
    """
    if not values:
        return comparison
    result: Comparison = _redacted(comparison, values)
    return result


def redact_outcome(outcome: Outcome, values: tuple[str, ...]) -> Outcome:
    """One backend's outcome with every secret form taken out (see ``redact_comparison``)."""
    if not values:
        return outcome
    result: Outcome = _redacted(outcome, values)
    return result
