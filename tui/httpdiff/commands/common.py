"""Helpers every sub-command shares: one-line usage errors, exit codes."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_EQUIVALENT, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr and exit 2, never a usage dump or traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def fail(message: str) -> int:
    """Print one error line for the user and return the bad-input exit status."""
    print(f"httpdiff: error: {message}", file=sys.stderr)
    return EXIT_USAGE
