"""Write the demo samples as a collection on disk, with a "demo" environment.

It lives in ``ui`` (without importing Textual) because it joins two sibling layers,
``demo`` (the samples) and ``storage`` (the files), which may not import each other.

``httpdiff --demo`` opens this collection so a first run shows collections and
environments at work: the request files use ``{{http}}``-style variables and the
"demo" environment holds this run's server URLs. The folder belongs to httpdiff
and its samples and environment are rewritten at every start (the server's
ports change each time); nothing is deleted, so requests a user added survive.
"""

from __future__ import annotations

from pathlib import Path

from httpdiff.demo.samples import DEMO_ENVIRONMENT, DemoURLs, demo_collection, demo_variables
from httpdiff.storage import paths
from httpdiff.storage.collection import request_path, save_request
from httpdiff.storage.environment import save_environment


def demo_collection_dir() -> Path:
    return paths.data_dir() / "demo-collection"


def write_demo_collection(server: DemoURLs, root: Path | None = None) -> Path:
    """(Re)write the demo collection for ``server``; returns its folder."""
    root = root or demo_collection_dir()
    root.mkdir(parents=True, exist_ok=True)
    for relative, spec in demo_collection():
        save_request(root, relative, spec)  # replaces last run's copy, edits included
    save_environment(root, DEMO_ENVIRONMENT, demo_variables(server))
    return root


def demo_request_files(root: Path) -> list[Path]:
    """The files ``write_demo_collection`` writes (for tests and cleanup)."""
    return [request_path(root, relative) for relative, _ in demo_collection()]


__all__ = ["demo_collection_dir", "demo_request_files", "write_demo_collection"]
