"""Line diffs that stay fast on bodies of many megabytes.

difflib's SequenceMatcher is the engine (stdlib, well understood, good output), but
it is fed only the part that can differ: the common leading and trailing lines are
cut off first, which is linear and usually leaves little. A large remainder is matched
in two levels, content-defined chunks of lines first and lines inside the changed
chunks second (see ``_middle``): SequenceMatcher on 100k lines that each repeat a few
hundred times takes ~10 s, on their chunks well under one. A changed region longer
than ``REFINE_LINES`` is not aligned line by line: it stays one replaced block, and
the caller says so.

``text_diff`` returns side-by-side rows for the UI; ``unified`` renders the same
opcodes as a capped unified diff for a finding's ``detail``.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

Tag = Literal["equal", "insert", "delete", "replace"]
Opcode = tuple[str, int, int, int, int]

DIRECT_LINES = 4_000
"""Up to this many differing lines per side, difflib aligns lines directly."""
REFINE_LINES = 20_000
"""A changed region longer than this (per side) is shown as one block, not aligned."""
_CHUNK_MASK = 15  # a chunk ends after a line whose hash ends in 4 zero bits: ~16 lines
_CHUNK_MAX = 64  # or after this many lines, so text with few distinct lines still splits

@dataclass(frozen=True, slots=True)
class DiffLine:
    """One side-by-side row. Line numbers are 1-based; a side with no line has None.

    Rows come in hunks: where consecutive rows' line numbers jump, unchanged lines
    were left out (only ``context`` lines around each change are kept).
    """

    tag: Tag
    left_no: int | None
    left: str | None
    right_no: int | None
    right: str | None


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split on LF only, no phantom last line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def opcodes(a: Sequence[str], b: Sequence[str]) -> tuple[list[Opcode], bool]:
    """difflib-style opcodes for the whole of ``a`` and ``b``, and whether every line aligned."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    a_end, b_end = len(a) - tail, len(b) - tail
    middle, aligned = _middle(a, b, head, a_end, head, b_end)
    ops: list[Opcode] = []
    for op in [("equal", 0, head, 0, head), *middle, ("equal", a_end, len(a), b_end, len(b))]:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if ops and op[0] == "equal" and ops[-1][0] == "equal":
            ops[-1] = ("equal", ops[-1][1], op[2], ops[-1][3], op[4])
        else:
            ops.append(op)
    return ops, aligned


def _middle(
    a: Sequence[str], b: Sequence[str], a1: int, a2: int, b1: int, b2: int
) -> tuple[list[Opcode], bool]:
    """Opcodes for a[a1:a2] against b[b1:b2].

    Small ranges go straight to difflib. Large ones are first matched as chunks of
    lines whose boundaries depend on content (a line whose hash ends in zero bits
    ends a chunk), so an insertion moves no boundary beyond its own chunk. Chunks are
    far more distinct than lines and 16 times fewer, which keeps SequenceMatcher away
    from its quadratic case (many lines each repeated a few hundred times); only the
    changed chunks are then aligned line by line.
    """
    if a2 - a1 <= DIRECT_LINES and b2 - b1 <= DIRECT_LINES:
        return _lines(a, b, a1, a2, b1, b2), True
    chunks_a, chunks_b = _chunks(a, a1, a2), _chunks(b, b1, b2)
    keys_a = [tuple(a[s:e]) for s, e in chunks_a]
    keys_b = [tuple(b[s:e]) for s, e in chunks_b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=True)
    ops: list[Opcode] = []
    aligned = True
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        la1, la2 = _span(chunks_a, i1, i2, a1)
        lb1, lb2 = _span(chunks_b, j1, j2, b1)
        if tag == "equal":
            ops.append(("equal", la1, la2, lb1, lb2))
        elif la2 - la1 > REFINE_LINES or lb2 - lb1 > REFINE_LINES:
            ops.append(("replace", la1, la2, lb1, lb2))
            aligned = False
        else:
            ops += _lines(a, b, la1, la2, lb1, lb2)
    return ops, aligned


def _lines(a: Sequence[str], b: Sequence[str], a1: int, a2: int, b1: int, b2: int) -> list[Opcode]:
    if a1 == a2 or b1 == b2:
        tag = "insert" if a1 == a2 else "delete"
        return [(tag, a1, a2, b1, b2)] if (a1, b1) != (a2, b2) else []
    matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=True)
    return [(t, i1 + a1, i2 + a1, j1 + b1, j2 + b1) for t, i1, i2, j1, j2 in matcher.get_opcodes()]


def _chunks(lines: Sequence[str], start: int, stop: int) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    begin = start
    for index in range(start, stop):
        if hash(lines[index]) & _CHUNK_MASK == 0 or index + 1 - begin >= _CHUNK_MAX:
            bounds.append((begin, index + 1))
            begin = index + 1
    if begin < stop:
        bounds.append((begin, stop))
    return bounds


def _span(chunks: list[tuple[int, int]], i1: int, i2: int, empty_at: int) -> tuple[int, int]:
    """Line range covered by chunks[i1:i2] (an empty range sits where chunk i1 starts)."""
    if i1 < i2:
        return chunks[i1][0], chunks[i2 - 1][1]
    at = chunks[i1][0] if i1 < len(chunks) else (chunks[-1][1] if chunks else empty_at)
    return at, at


def grouped(ops: list[Opcode], context: int) -> list[list[Opcode]]:
    """Hunks of changes with ``context`` equal lines around each (all of it if negative)."""
    if context < 0 or not ops:
        return [ops] if ops else []
    if all(op[0] == "equal" for op in ops):
        return []
    ops = list(ops)
    # Same shape as difflib.SequenceMatcher.get_grouped_opcodes, on precomputed opcodes.
    if ops[0][0] == "equal":
        tag, i1, i2, j1, j2 = ops[0]
        ops[0] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if ops[-1][0] == "equal":
        tag, i1, i2, j1, j2 = ops[-1]
        ops[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def rows(a: Sequence[str], b: Sequence[str], groups: list[list[Opcode]]) -> list[DiffLine]:
    out: list[DiffLine] = []
    for group in groups:
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("equal", i + 1, a[i], j + 1, b[j])
                        for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
                continue
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            out += [DiffLine("replace", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k])
                    for k in range(paired)]
            out += [DiffLine("delete", i + 1, a[i], None, None) for i in range(i1 + paired, i2)]
            out += [DiffLine("insert", None, None, j + 1, b[j]) for j in range(j1 + paired, j2)]
    return out


def text_diff(a: str, b: str, context: int = 3) -> list[DiffLine]:
    """Side-by-side rows of a line diff; ``context`` < 0 keeps every line."""
    left, right = split_lines(a), split_lines(b)
    ops, _ = opcodes(left, right)
    return rows(left, right, grouped(ops, context))


def changed_lines(ops: list[Opcode]) -> int:
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def unified(
    a: Sequence[str], b: Sequence[str], ops: list[Opcode], left_name: str, right_name: str,
    *, context: int = 3, max_lines: int = 400,
) -> str:
    """A unified diff of precomputed opcodes, cut after ``max_lines`` lines (and said so).

    Lines past the cap are counted, never built: a 50 MB replaced block costs nothing.
    """
    out = [f"--- {left_name}", f"+++ {right_name}"]
    total = 0
    for group in grouped(ops, context):
        first, last = group[0], group[-1]
        lines = _hunk_lines(a, b, group)
        total += 1 + sum((a2 - a1) + (b2 - b1) * (tag != "equal") for tag, a1, a2, b1, b2 in group)
        room = max_lines - (len(out) - 2)
        if room > 0:
            out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
            out += itertools.islice(lines, room - 1)
    shown = len(out) - 2
    if total > shown:
        out.append(f"… {total - shown} more diff lines not shown")
    return "\n".join(out)


def _hunk_lines(a: Sequence[str], b: Sequence[str], group: list[Opcode]) -> Iterator[str]:
    for tag, a1, a2, b1, b2 in group:
        if tag == "equal":
            yield from (" " + a[i] for i in range(a1, a2))
            continue
        yield from ("-" + a[i] for i in range(a1, a2))
        yield from ("+" + b[j] for j in range(b1, b2))


def _range(start: int, stop: int) -> str:
    # As difflib.unified_diff: 1-based start, and an empty range names the line before.
    length = stop - start
    begin = start + 1 if length else start
    return f"{begin}" if length == 1 else f"{begin},{length}"
