"""Importers: other tools' request files to httpdiff requests and environments.

Each importer is a pure function (text in, ``ImportResult`` out; Posting reads a folder
but writes nothing), so ``httpdiff import`` can check everything before it writes
anything. ``load_source`` picks the importer by format name, reads the source, and turns
every read or parse problem into one ``LoadError`` naming the file and the place.

Formats: ``curl`` (a file of curl commands, one request each), ``http`` (``.http`` /
``.rest`` files of the JetBrains and VS Code clients), ``postman`` (v2.x collection or
environment JSON), ``posting`` (a folder of ``*.posting.yaml`` files).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from httpdiff.errors import LoadError
from httpdiff.storage.importers.common import ImportResult
from httpdiff.storage.importers.curl_file import import_curl
from httpdiff.storage.importers.http_file import import_http, import_http_environments
from httpdiff.storage.importers.posting import import_posting
from httpdiff.storage.importers.postman import import_postman

FORMATS: tuple[str, ...] = ("curl", "http", "postman", "posting")
MAX_SOURCE_BYTES = 50 * 1024 * 1024
HTTP_ENV_FILE = "http-client.env.json"

__all__ = [
    "FORMATS",
    "ImportResult",
    "import_curl",
    "import_http",
    "import_http_environments",
    "import_posting",
    "import_postman",
    "load_source",
]


def read_text(path: Path) -> str:
    """A source file's text; unreadable, huge or non-UTF-8 files are a ``LoadError``."""
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise LoadError(str(path), f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(str(path), f"line {line}: not UTF-8 text") from exc


def load_source(fmt: str, source: Path, environments: Sequence[Path] = ()) -> ImportResult:
    """Import ``source`` (a file, or a folder for Posting) in format ``fmt``.

    ``environments`` are extra environment files: Postman environment JSON for
    ``postman``, ``http-client.env.json`` files for ``http`` (one beside the source is
    picked up on its own).
    """
    if fmt not in FORMATS:
        raise LoadError(str(source), f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "posting":
        if environments:
            raise LoadError(str(environments[0]), "Posting environments are the *.env files "
                            "inside the collection folder")
        return import_posting(source)
    if source.is_dir():
        raise LoadError(str(source), f"a folder; the {fmt} format reads one file")
    text = read_text(source)
    if fmt == "curl":
        return import_curl(text, str(source))
    if fmt == "postman":
        return import_postman(text, str(source),
                              [(read_text(p), str(p)) for p in environments])
    result = import_http(text, str(source))
    beside = source.parent / HTTP_ENV_FILE
    env_files = [beside] if beside.is_file() and beside not in environments else []
    for path in [*env_files, *environments]:
        extra = import_http_environments(read_text(path), str(path))
        result.notes.extend(extra.notes)
        shared = result.environments.get("default", {})
        for name, values in extra.environments.items():
            # File-level @variables are defaults; an environment's own values win.
            result.environments[name] = {**shared, **values}
    private = source.parent / "http-client.private.env.json"
    if private.is_file():
        result.notes.append(f"{private}: private (secret) values left alone: put them in the "
                            "collection's .env file")
    return result
