"""The user's settings (``config.yaml`` in the config dir): small, validated, written atomically.

Only keys httpdiff knows are kept; a broken file is reported and the defaults
used, so a hand edit never stops the app from starting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from httpdiff.errors import LoadError
from httpdiff.storage import paths
from httpdiff.storage.files import atomic_write

DEFAULT_THEME = "httpdiff-dark"


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = DEFAULT_THEME


def config_path() -> Path:
    return paths.config_dir() / "config.yaml"


def load_config(path: Path | None = None) -> tuple[Config, LoadError | None]:
    """The config, and the reason it could not be read (then the defaults are returned)."""
    path = path or config_path()
    if not path.exists():
        return Config(), None
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return Config(), LoadError(str(path), f"cannot read: {' '.join(str(exc).split())}")
    if doc is None:
        return Config(), None
    if not isinstance(doc, dict):
        return Config(), LoadError(str(path), "must be a mapping of settings")
    known = {f.name for f in fields(Config)}
    for key, value in doc.items():
        if key not in known:
            return Config(), LoadError(str(path), f"unknown setting {key!r}")
        if not isinstance(value, str):
            return Config(), LoadError(str(path), f"{key}: must be text")
    return Config(**doc), None


def save_config(config: Config, path: Path | None = None) -> None:
    data: dict[str, Any] = {k: v for k, v in asdict(config).items() if v != getattr(Config(), k)}
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, yaml.safe_dump(data, sort_keys=True) if data else "")


def remember_theme(name: str) -> None:
    config, _ = load_config()
    save_config(replace(config, theme=name))
