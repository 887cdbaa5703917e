"""Where httpdiff keeps its files: platformdirs' user dirs, each overridable by a variable.

``HTTPDIFF_DATA_DIR``, ``HTTPDIFF_CONFIG_DIR`` and ``HTTPDIFF_CACHE_DIR`` win over the
platform's defaults, so tests and CI never touch a real user's home.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "httpdiff"


def _dir(variable: str, default: str) -> Path:
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else Path(default)


def data_dir() -> Path:
    return _dir("HTTPDIFF_DATA_DIR", platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    return _dir("HTTPDIFF_CONFIG_DIR", platformdirs.user_config_dir(APP))


def cache_dir() -> Path:
    return _dir("HTTPDIFF_CACHE_DIR", platformdirs.user_cache_dir(APP))
