"""What httpdiff itself adds to a request before a library sees it: the same for every client.

The query parameters joined to the URL, a bearer token, and the Content-Type a body kind
implies. The backends send with these, and the code exporter writes them into the scripts
it generates, so both must come from this one place (stdlib only, beside ``model``).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from httpdiff.model import Header, RequestSpec

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
FILE_CONTENT_TYPE = "application/octet-stream"


def full_url(spec: RequestSpec) -> str:
    """The URL with ``params`` appended to whatever query it already has."""
    if not spec.params:
        return spec.url
    parts = urlsplit(spec.url)
    extra = urlencode(list(spec.params))
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def headers_for(spec: RequestSpec) -> list[Header]:
    """The headers httpdiff asks for, in order; the library adds its defaults to these."""
    headers = list(spec.headers)
    if spec.auth.kind == "bearer":
        headers.append(("Authorization", f"Bearer {spec.auth.token}"))
    if not any(name.lower() == "content-type" for name, _ in headers):
        body = spec.body
        if body.content_type and body.kind not in ("none", "multipart"):
            headers.append(("Content-Type", body.content_type))
        elif body.kind == "text":
            headers.append(("Content-Type", TEXT_CONTENT_TYPE))
        elif body.kind == "file":
            headers.append(("Content-Type", FILE_CONTENT_TYPE))
    return headers
