"""The Bench tab's settings row: counts, cold and phases switches, Start and Stop.

Its two groups sit side by side, or one above the other on a narrow terminal
(``app.tcss``), so Start and Stop always stay on screen. The buttons' presses
bubble up to ``BenchView``, which owns what they do.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Switch

from httpdiff.backends import Settings
from httpdiff.bench import BenchConfig

DEFAULTS = {"runs": "20", "warmup": "2", "concurrency": "1"}


class BenchPlan(NamedTuple):
    """What the settings row asks for."""

    runs: int
    warmup: int
    concurrency: int
    cold: bool
    phases: bool

    def config(self, names: tuple[str, ...]) -> BenchConfig:
        return BenchConfig(names, self.runs, self.warmup, self.concurrency, self.cold,
                           Settings(phases=self.phases))


class BenchSettings(Horizontal):
    DEFAULT_CSS = """
    BenchSettings { height: 3; padding: 0 1; }
    BenchSettings .bench-group { width: auto; height: 3; }
    BenchSettings Label { padding: 1 0 0 1; }
    BenchSettings Input { width: 10; }
    BenchSettings Button { min-width: 9; margin-left: 1; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="bench-group"):
            for key, label in (("runs", "runs"), ("warmup", "warm-up"),
                               ("concurrency", "concurrency")):
                yield Label(label)
                yield Input(DEFAULTS[key], type="integer", id=f"bench-{key}")
        with Horizontal(classes="bench-group"):
            yield Label("cold")
            yield Switch(False, id="bench-cold", tooltip="a new connection for every send")
            yield Label("phases")
            yield Switch(True, id="bench-phases-on",
                         tooltip="time every phase (off: only download and total, without "
                                 "the libraries' tracing, closest to their raw speed)")
            yield Button("Start", id="bench-start", variant="primary")
            yield Button("Stop", id="bench-stop", variant="error", disabled=True)

    def plan(self) -> BenchPlan:
        """What the inputs ask for; ``ValueError`` names a bad one."""
        values = {}
        for key, least in (("runs", 1), ("warmup", 0), ("concurrency", 1)):
            text = self.query_one(f"#bench-{key}", Input).value.strip()
            try:
                values[key] = int(text)
            except ValueError:
                raise ValueError(f"{key} must be a whole number, not {text!r}") from None
            if values[key] < least:
                raise ValueError(f"{key} must be at least {least}")
        return BenchPlan(values["runs"], values["warmup"], values["concurrency"],
                         self.query_one("#bench-cold", Switch).value,
                         self.query_one("#bench-phases-on", Switch).value)

    def set_measuring(self, measuring: bool) -> None:
        self.query_one("#bench-start", Button).disabled = measuring
        self.query_one("#bench-stop", Button).disabled = not measuring
