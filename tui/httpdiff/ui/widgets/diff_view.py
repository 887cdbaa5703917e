"""Every finding of a comparison, differences first, and the two bodies side by side.

The verdict ("equivalent" / "N differences") leads, big. Findings are grouped by
category with every backend's value in its own column, so three backends read as
easily as two. Marking a header or JSON path as noise does not change anything here:
the view posts ``NoiseMarked`` and the app owns the rules and recomputes (one owner for
state, and the verdict updates everywhere at once). Rules marked here can be unmarked.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from httpdiff.model import Category, Comparison, Finding, ResponseSnapshot, Verdict
from httpdiff.noise import NoiseRule, NoiseRules, RuleKind
from httpdiff.ui.render import color, format_ms, one_line, safe_text
from httpdiff.ui.widgets.body_diff_view import BodyDiffView

CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}
VALUE_LIMIT = 120
ACTION_COLUMN = "action"
NOT_HEADERS = frozenset({"method", "url", "body", "header-name-case"})


def rule_kind(finding: Finding) -> RuleKind | None:
    """Which kind of noise rule could cover ``finding``, or None if it cannot be marked."""
    if finding.category is Category.HEADER and finding.subject not in NOT_HEADERS:
        return "header"
    if finding.category is Category.REQUEST_HEADER and finding.subject not in NOT_HEADERS:
        return "request-header"
    if finding.category is Category.BODY and finding.subject.startswith("$"):
        return "json-path"
    return None


def ordered(findings: tuple[Finding, ...]) -> list[Finding]:
    """Differences first, then noise; within each, by category (stable otherwise)."""
    return sorted(
        findings, key=lambda f: (not f.is_difference, CATEGORY_ORDER.get(f.category, 99))
    )


def value_text(value: Any, category: Category) -> Text:
    if value is None:
        return Text("—", style="dim", end="")
    if category is Category.TIMING and isinstance(value, (int, float)):
        return Text(format_ms(float(value)), end="")
    if isinstance(value, (list, tuple)):
        return safe_text(" | ".join(str(v) for v in value), limit=VALUE_LIMIT)
    return safe_text(str(value), limit=VALUE_LIMIT)


def _same_outcomes(a: Comparison, b: Comparison) -> bool:
    """True when ``b`` only re-judges ``a``'s outcomes (a recompute): no new body diff needed."""
    return list(a.outcomes) == list(b.outcomes) and all(
        a.outcomes[name] is b.outcomes[name] for name in a.outcomes
    )


class FindingsTable(DataTable[Text]):
    """The findings table; a click on the action column asks to toggle that row's noise mark."""

    class ActionClicked(Message):
        def __init__(self, row_key: str) -> None:
            super().__init__()
            self.row_key = row_key

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        row, column = meta.get("row"), meta.get("column")
        if not isinstance(row, int) or not isinstance(column, int) or row < 0:
            return
        if not (0 <= column < len(self.ordered_columns) and row < self.row_count):
            return
        if self.ordered_columns[column].key.value == ACTION_COLUMN:
            key = self.ordered_rows[row].key.value
            if key is not None:
                self.post_message(self.ActionClicked(key))


class DiffView(Widget):
    ALLOW_MAXIMIZE = True  # f7 maximises the view that has focus

    DEFAULT_CSS = """
    DiffView { height: 1fr; layout: vertical; }
    DiffView > #verdict {
        height: 3;
        content-align: center middle;
        text-style: bold;
        background: $boost;
        border: heavy $success;
    }
    DiffView > #verdict.-different { border: heavy $error; }
    DiffView > #findings { height: 1fr; min-height: 5; }
    DiffView > #body-diff-title { height: 1; padding: 0 1; background: $panel; }
    DiffView > BodyDiffView { height: 1fr; min-height: 4; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mark_noise", "Mark/unmark noise", id="mark-noise"),
    ]

    class NoiseMarked(Message):
        """The user marked a header or JSON path as noise."""

        def __init__(self, rule: NoiseRule) -> None:
            super().__init__()
            self.rule = rule

    class NoiseUnmarked(Message):
        """The user removed a noise rule they had marked."""

        def __init__(self, rule: NoiseRule) -> None:
            super().__init__()
            self.rule = rule

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, name: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes, name=name)
        self.comparison: Comparison | None = None
        self._rows: dict[str, Finding] = {}
        self._user_rules: list[NoiseRule] = []
        self._body_pair = "body"

    def compose(self) -> ComposeResult:
        yield Static(Text("no comparison yet"), id="verdict")
        yield FindingsTable(id="findings", cursor_type="row", zebra_stripes=True)
        yield Static(id="body-diff-title")
        yield BodyDiffView()

    # -- the seam ------------------------------------------------------------------

    def show(self, comparison: Comparison, rules: NoiseRules | None = None) -> None:
        """Show ``comparison``; ``rules`` (optional) tells which user rules can be unmarked."""
        if rules is not None:
            self._user_rules = list(rules.rules)
        previous = self.comparison
        self.comparison = comparison
        self._show_verdict(comparison)
        self._fill_table(comparison)
        if previous is None or not _same_outcomes(previous, comparison):
            self._start_body_diff(comparison)

    def clear(self) -> None:
        self.comparison = None
        self._rows = {}
        verdict = self.query_one("#verdict", Static)
        verdict.update(Text("no comparison yet"))
        verdict.remove_class("-different")
        self.query_one(FindingsTable).clear(columns=True)
        self.query_one("#body-diff-title", Static).update("")
        self.query_one(BodyDiffView).clear()

    @property
    def verdict_text(self) -> str:
        return str(self.query_one("#verdict", Static).render())

    # -- drawing -------------------------------------------------------------------

    def _show_verdict(self, comparison: Comparison) -> None:
        verdict = self.query_one("#verdict", Static)
        count, noise = len(comparison.differences), len(comparison.noise)
        names = " vs ".join(comparison.outcomes)
        palette = self.app.theme_variables
        if len(comparison.outcomes) < 2:  # no verdict: "equivalent" would claim a comparison
            verdict.update(Text(f"one backend ({names}): nothing to compare", style="bold"))
            verdict.set_class(False, "-different")
            return
        if comparison.equivalent:
            headline = Text("✓ equivalent", style=f"bold {color(palette, 'success')}")
        else:
            word = "difference" if count == 1 else "differences"
            headline = Text(f"✗ {count} {word}", style=f"bold {color(palette, 'error')}")
        headline.append(f"   ({names}; {noise} noise)", style="not bold")
        verdict.update(headline)
        verdict.set_class(not comparison.equivalent, "-different")

    def _fill_table(self, comparison: Comparison) -> None:
        table = self.query_one(FindingsTable)
        cursor = table.cursor_row
        # The cursor stays on its finding when the table is redrawn (a mark moves rows).
        followed = self._finding_at(cursor)
        table.clear(columns=True)
        names = list(comparison.outcomes)
        table.add_column("", key="verdict")
        table.add_column("subject", key="subject")
        for name in names:
            table.add_column(safe_text(name), key=f"value-{name}")
        table.add_column("", key=ACTION_COLUMN)
        table.add_column("rule", key="rule")
        palette = self.app.theme_variables
        self._rows = {}
        group: tuple[bool, Category] | None = None
        for index, finding in enumerate(ordered(comparison.findings)):
            key = (finding.is_difference, finding.category)
            if key != group:
                group = key
                label = ("differences" if finding.is_difference else "noise") + " · "
                header = Text(label + finding.category.value, style="bold underline")
                blanks = [Text("") for _ in range(len(names) + 2)]
                table.add_row(Text(""), header, *blanks, key=f"group-{index}")
            tint = color(palette, "diff-changed" if finding.is_difference else "diff-noise")
            marker = "≠" if finding.is_difference else "~"
            row_key = f"finding-{index}"
            self._rows[row_key] = finding
            table.add_row(
                Text(marker, style=f"bold {tint}", end=""),
                safe_text(finding.subject, "bold" if finding.is_difference else "", limit=80),
                *[value_text(finding.values.get(name), finding.category) for name in names],
                self._action_text(finding),
                safe_text(finding.rule, "dim", limit=60),
                key=row_key,
            )
        if followed is not None:
            cursor = next((table.get_row_index(key) for key, finding in self._rows.items()
                           if (finding.category, finding.subject) == followed), cursor)
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))

    def _finding_at(self, row: int) -> tuple[Category, str] | None:
        table = self.query_one(FindingsTable)
        if not 0 <= row < table.row_count:
            return None
        finding = self._rows.get(str(table.ordered_rows[row].key.value))
        return (finding.category, finding.subject) if finding is not None else None

    def _action_text(self, finding: Finding) -> Text:
        if self._rule_to_unmark(finding) is not None:
            return Text("[unmark]", style="underline", end="")
        if finding.is_difference and rule_kind(finding) is not None:
            return Text("[mark noise]", style="underline", end="")
        return Text("", end="")

    def _start_body_diff(self, comparison: Comparison) -> None:
        snapshots = [o for o in comparison.outcomes.values() if isinstance(o, ResponseSnapshot)]
        title = self.query_one("#body-diff-title", Static)
        view = self.query_one(BodyDiffView)
        if len(snapshots) < 2:
            title.update(Text("body diff: needs two responses", style="dim"))
            view.compare(None, None)
            return
        left, right = snapshots[0], snapshots[1]
        self._body_pair = f"body: {left.backend} ⇄ {right.backend}"
        title.update(Text(f"{self._body_pair} · comparing…"))
        view.compare(left, right)

    @on(BodyDiffView.Computed)
    def _body_computed(self, event: BodyDiffView.Computed) -> None:
        if event.description:
            self.query_one("#body-diff-title", Static).update(
                Text(f"{self._body_pair} · {event.description}")
            )

    # -- marking noise -------------------------------------------------------------

    def _rule_to_unmark(self, finding: Finding) -> NoiseRule | None:
        if finding.verdict is not Verdict.NOISE or not finding.rule:
            return None
        return next((r for r in self._user_rules if r.label == finding.rule), None)

    def toggle_noise(self, row_key: str) -> None:
        """Mark the finding in ``row_key`` as noise, or unmark the user rule covering it."""
        finding = self._rows.get(row_key)
        if finding is None:
            return
        rule = self._rule_to_unmark(finding)
        if rule is not None:
            self._user_rules.remove(rule)
            self.post_message(self.NoiseUnmarked(rule))
            return
        kind = rule_kind(finding)
        if not finding.is_difference:
            self.notify(f"{one_line(finding.subject, 80)} is already noise: {finding.rule}",
                        markup=False)
            return
        if kind is None:
            self.notify("only header and JSON-path differences can be marked as noise")
            return
        rule = NoiseRule(kind, finding.subject)
        self._user_rules.append(rule)
        self.post_message(self.NoiseMarked(rule))

    def action_mark_noise(self) -> None:
        table = self.query_one(FindingsTable)
        if not table.row_count:
            return
        key = table.ordered_rows[table.cursor_row].key.value
        if key is not None:
            self.toggle_noise(key)

    @on(FindingsTable.ActionClicked)
    def _action_clicked(self, event: FindingsTable.ActionClicked) -> None:
        event.stop()
        self.toggle_noise(event.row_key)

    def row_texts(self) -> list[list[str]]:
        """Each table row's plain text, for tests."""
        table = self.query_one(FindingsTable)
        return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


__all__ = ["DiffView", "FindingsTable", "ordered", "rule_kind"]
