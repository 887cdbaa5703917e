"""``httpdiff themes``: the themes that can be used, and any theme file that failed to load."""

from __future__ import annotations

from collections.abc import Sequence

from httpdiff.commands.common import Parser
from httpdiff.storage.config import load_config
from httpdiff.storage.themes import builtin_dir, load_themes, user_dir


def main(argv: Sequence[str]) -> int:
    parser = Parser(prog="httpdiff themes",
                    description="List the available themes and any that failed to load.")
    parser.parse_args(argv)
    found = load_themes()
    config, config_error = load_config()
    print(f"built-in themes: {builtin_dir()}")
    print(f"your themes:     {user_dir()}")
    for name, theme in sorted(found.themes.items()):
        mark = "*" if name == config.theme else " "
        kind = "dark " if theme.dark else "light"
        print(f" {mark} {name:<28} {kind}  {theme.description}")
    print("   (and Textual's own themes, e.g. textual-dark, nord, gruvbox)")
    if found.errors or config_error:
        print("failed to load:")
        for error in [*found.errors, *([config_error] if config_error else [])]:
            print(f"   {error}")
    return 0
