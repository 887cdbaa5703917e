"""The pure diff engine: outcomes in, findings out; no I/O and no HTTP client imports.

``findings`` is what ``compare`` calls; ``text_diff`` and ``json_diff`` feed the UI's
body diff view; ``recompute`` re-judges a comparison after a noise rule changes.
"""

from __future__ import annotations

from httpdiff.diff.engine import findings, recompute
from httpdiff.diff.jsondiff import JsonChange, json_diff
from httpdiff.diff.text import DiffLine, text_diff
from httpdiff.noise import NoiseRule, NoiseRules

__all__ = [
    "DiffLine",
    "JsonChange",
    "NoiseRule",
    "NoiseRules",
    "findings",
    "json_diff",
    "recompute",
    "text_diff",
]
