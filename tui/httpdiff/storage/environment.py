"""Environments (``environments/NAME.yaml``) and secrets (``.env``) of a collection.

An environment is a flat YAML mapping of variable names to values, committed
with the collection::

    base: http://127.0.0.1:8000
    user: alice

Secrets do not belong there: they come from the collection's ``.env`` file or
the process environment, which httpdiff reads and never writes. ``secrets_for``
merges the two in resolution order (``.env`` first, then the process), and
``variables.resolve`` puts the chosen environment before both.

``.env`` follows the common dotenv dialect: ``KEY=VALUE`` per line, ``#``
comments, an optional ``export`` prefix, single quotes taken literally, double
quotes with ``\\n``/``\\t``/``\\"``/``\\\\`` escapes, and `` #`` starting a
comment after an unquoted value. A line that is none of these is a
``LoadError`` naming the file and line (never the value: it may be a secret).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from httpdiff.errors import LoadError, UnknownName
from httpdiff.storage.files import atomic_write
from httpdiff.storage.request_file import MAX_FILE_BYTES, dump_yaml, parse_yaml

ENVIRONMENTS_DIR = "environments"
DOTENV = ".env"
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


def check_environment_name(name: str) -> str:
    if not _NAME.match(name) or len(name) > 100:
        raise UnknownName(f"invalid environment name {name!r} (letters, digits, _ . -)")
    return name


def environment_path(root: Path, name: str) -> Path:
    return root / ENVIRONMENTS_DIR / f"{check_environment_name(name)}.yaml"


def environment_names(root: Path) -> tuple[str, ...]:
    """Names of the environments a collection has, sorted."""
    folder = root / ENVIRONMENTS_DIR
    if not folder.is_dir():
        return ()
    return tuple(sorted(
        p.stem for p in folder.iterdir()
        if p.suffix == ".yaml" and _NAME.match(p.stem) and p.is_file()
    ))


def _scalar(value: object) -> str | None:
    """A YAML scalar as the text a person typed (``8080``, ``true``); None if not a scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int) and abs(value) < 10**100:
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if value is None:
        return ""
    return None


def environment_from_yaml(text: str, source: str) -> dict[str, str]:
    """Parse one environment file; ``LoadError`` names the file and the variable."""
    doc = parse_yaml(text, source)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise LoadError(source, "must be a mapping of variable names to values")
    out: dict[str, str] = {}
    for key, value in doc.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise LoadError(source, "variable names must be letters, digits, _ . - "
                                    "(starting with a letter or _)")
        scalar = _scalar(value)
        if scalar is None:
            raise LoadError(source, f"variable {key}: must be text or a number, not a "
                                    f"{'list' if isinstance(value, list) else 'mapping'}")
        out[key] = scalar
    return out


def load_environment(root: Path, name: str) -> dict[str, str]:
    """The variables of one environment; ``UnknownName`` lists the known ones."""
    path = environment_path(root, name)
    if not path.is_file():
        known = ", ".join(environment_names(root)) or "none"
        raise UnknownName(f"unknown environment {name!r} (known: {known})")
    return environment_from_yaml(_read_text(path), str(path))


def save_environment(root: Path, name: str, variables: Mapping[str, str]) -> Path:
    """Write ``environments/NAME.yaml`` atomically, keys in the order given.

    Only ever pass an environment's own variables: secrets stay in ``.env``.
    """
    for key, value in variables.items():
        if not _KEY.match(key):
            raise LoadError(name, f"invalid variable name {key!r}")
        if not isinstance(value, str):
            raise LoadError(name, f"variable {key}: must be text")
    path = environment_path(root, name)
    atomic_write(path, dump_yaml(dict(variables)) if variables else "{}\n")
    return path


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise LoadError(str(path), f"is larger than {MAX_FILE_BYTES} bytes")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LoadError(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise LoadError(str(path), f"cannot read: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------
# .env
# ---------------------------------------------------------------------------


def _double_quoted(body: str, source: str, line: int) -> tuple[str, str]:
    """The value of a double-quoted string and the text after its closing quote."""
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        if ch == '"':
            return "".join(out), body[i + 1:]
        out.append(ch)
        i += 1
    raise LoadError(source, f"line {line}: unterminated double quote")


def parse_dotenv(text: str, source: str) -> dict[str, str]:
    """The variables of a ``.env`` text; a later line wins over an earlier one."""
    out: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export ") or line.startswith("export\t"):
            line = line[len("export"):].lstrip()
        key, sep, rest = line.partition("=")
        key = key.strip()
        if not sep or not _KEY.match(key):
            raise LoadError(source, f"line {number}: expected KEY=VALUE")
        rest = rest.lstrip()
        if rest.startswith("'"):
            end = rest.find("'", 1)
            if end < 0:
                raise LoadError(source, f"line {number}: unterminated single quote")
            value, after = rest[1:end], rest[end + 1:]
        elif rest.startswith('"'):
            value, after = _double_quoted(rest[1:], source, number)
        else:
            value, after = re.split(r"\s#", rest, maxsplit=1)[0].rstrip(), ""
        if after.strip() and not after.strip().startswith("#"):
            raise LoadError(source, f"line {number}: text after the closing quote")
        out[key] = value
    return out


def load_dotenv(path: Path) -> dict[str, str]:
    """The variables of a ``.env`` file, ``{}`` when there is none."""
    if not path.is_file():
        return {}
    return parse_dotenv(_read_text(path), str(path))


def secrets_for(root: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Secret values for a collection: its ``.env`` first, then the process environment."""
    process = dict(os.environ if environ is None else environ)
    return {**process, **load_dotenv(root / DOTENV)}
