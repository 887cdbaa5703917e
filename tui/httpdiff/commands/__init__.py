"""The headless sub-commands of ``httpdiff``, one module each, each with ``main(argv) -> int``.

``cli.py`` dispatches by name; a sub-command imports only what it needs, so
``httpdiff compare`` never loads Textual.
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "bench": "httpdiff.commands.bench",
    "compare": "httpdiff.commands.compare",
    "import": "httpdiff.commands.importing",
    "run": "httpdiff.commands.run",
    "serve": "httpdiff.commands.serve",
    "themes": "httpdiff.commands.themes",
}
