"""Deterministic payloads for the demo routes: documents, generated bodies, the gzip bomb.

Everything here is pure and repeatable (fixed seeds, fixed widths, gzip mtime 0), so the same
request always gets the same bytes and any difference httpdiff shows comes from the clients.
Large bodies are generators of ~64 KiB chunks with a length known up front: serving 100 MB never
builds 100 MB. The gzip bomb is assembled from one repeated deflate block instead of compressing
1 GiB of zeros (0.3 s instead of several seconds), then cached.
"""

from __future__ import annotations

import gzip
import random
import struct
import threading
import zlib
from collections.abc import Iterator
from typing import Any

CHUNK = 64 * 1024
#: Upper bound of every generated body (/bytes, /large, /large-json).
MAX_SIZE = 100 * 1024 * 1024

# --- documents -----------------------------------------------------------------------------------

JSON_DOC: dict[str, Any] = {
    "slideshow": {
        "title": "Sample Slide Show",
        "author": "httpdiff demo",
        "date": "2024-01-01",
        "slides": [
            {"title": "Wake up to WonderWidgets!", "type": "all"},
            {"title": "Overview", "type": "all",
             "items": ["Why WonderWidgets are great", "Who buys WonderWidgets"]},
        ],
    },
    "numbers": [0, 1, -1, 3.25, 1e21],
    "flags": {"yes": True, "no": False, "nothing": None},
    "unicode": "café ☕ 日本",
}

HTML_DOC = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>httpdiff demo</title></head>
<body>
  <h1>httpdiff demo page</h1>
  <p>A small, fixed HTML document for comparing clients.</p>
  <ul><li>one</li><li>two</li><li>three &amp; more</li></ul>
</body>
</html>
"""

XML_DOC = """<?xml version="1.0" encoding="utf-8"?>
<slideshow title="Sample Slide Show" author="httpdiff demo">
  <slide type="all"><title>Wake up to WonderWidgets!</title></slide>
  <slide type="all">
    <title>Overview</title>
    <item>Why <em>WonderWidgets</em> are great</item>
  </slide>
</slideshow>
"""

TEXT_DOC = (
    "httpdiff demo text\n"
    "The quick brown fox jumps over the lazy dog.\n"
    "Unicode: café, naïve, 日本語, emoji ☕\n"
)

#: Markup, terminal escapes and invalid UTF-8 under a ``charset=utf-8`` label: a UI that renders
#: server text unsafely shows colours, changes the window title, or wires a click to quit.
HOSTILE_BODY = (
    b"Rich markup: [bold red]x[/] and [@click=app.quit]q[/] and [link=file:///etc/passwd]l[/]\n"
    b"ANSI colour: \x1b[31mred\x1b[0m, title: \x1b]0;pwned\x07, clear: \x1b[2J\n"
    b"Invalid UTF-8: \xff\xfe \xc3\x28 \xed\xa0\x80 \xf0\x28\x8c\x28 end\n"
    b"Control bytes: \x00 \x08 \r overwritten\n"
)

LATIN1_BODY = "Grüße aus Köln: café, crème brûlée, señor, £5, ½, ©, ÿ\n".encode("latin-1")

# --- generated bodies --------------------------------------------------------------------------


def clamp_size(n: int) -> int:
    return max(0, min(n, MAX_SIZE))


def random_bytes(n: int, seed: int = 0) -> Iterator[bytes]:
    """``n`` pseudo-random bytes, the same for the same ``(n, seed)``."""
    rng = random.Random(seed)
    remaining = clamp_size(n)
    while remaining > 0:
        size = min(CHUNK, remaining)
        yield rng.randbytes(size)
        remaining -= size


_LINE_WIDTH = 64
_FILLER = "the quick brown fox jumps over the lazy dog 0123456789"


def text_line(i: int) -> str:
    """Line ``i`` of /large: exactly 64 ASCII characters including the newline."""
    head = f"line {i:010d}: "
    return (head + _FILLER)[: _LINE_WIDTH - 1].ljust(_LINE_WIDTH - 1, ".") + "\n"


def large_text(n: int) -> Iterator[bytes]:
    """``n`` bytes of numbered 64-byte lines (the last one cut to fit)."""
    remaining = clamp_size(n)
    lines_per_chunk = CHUNK // _LINE_WIDTH
    index = 0
    while remaining > 0:
        block = "".join(text_line(index + k) for k in range(lines_per_chunk)).encode("ascii")
        index += lines_per_chunk
        piece = block[:remaining]
        remaining -= len(piece)
        yield piece


def _json_item(i: int) -> str:
    # Numbers right-aligned with spaces (legal JSON whitespace) keep every object the same width.
    return f'{{"id":{i:10d},"name":"item {i:010d}","even":{"true " if i % 2 == 0 else "false"}}}'


_ITEM_WIDTH = len(_json_item(0))


def large_json_size(n: int) -> int:
    """The exact length /large-json/{n} sends: ``n``, but at least the 2 bytes of ``[]``."""
    return max(2, clamp_size(n))


def large_json(n: int) -> Iterator[bytes]:
    """A JSON array of equal-width objects, padded with whitespace to exactly the size above."""
    total = large_json_size(n)
    count = max(0, (total - 1) // (_ITEM_WIDTH + 1))
    used = 2 + count * _ITEM_WIDTH + max(0, count - 1)
    pad = total - used
    yield b"["
    per_chunk = max(1, CHUNK // (_ITEM_WIDTH + 1))
    for start in range(0, count, per_chunk):
        stop = min(count, start + per_chunk)
        parts = [_json_item(i) for i in range(start, stop)]
        text = ",".join(parts)
        yield ("," + text if start else text).encode("ascii")
    yield (("\n" + " " * (pad - 1)) if pad else "").encode("ascii") + b"]"


def gzip_json(data: bytes) -> bytes:
    """gzip with mtime 0, so the compressed bytes are stable too."""
    return gzip.compress(data, mtime=0)


# --- gzip bomb ------------------------------------------------------------------------------------

BOMB_INFLATED = 1 << 30  # 1 GiB of zeros
_BOMB_BLOCK = 1 << 20
_bomb_lock = threading.Lock()
_bomb: bytes | None = None


def gzip_bomb() -> bytes:
    """A ~1 MB gzip member that inflates to 1 GiB of zeros, built once per process.

    After a full flush deflate restarts from an empty window, so compressing 1 MiB of zeros
    after each flush yields the same block every time: one block repeated 1024 times, with a
    header and a trailer (CRC-32 and size of the inflated data) written by hand.
    """
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            zeros = bytes(_BOMB_BLOCK)
            deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
            block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
            final = deflate.flush(zlib.Z_FINISH)
            crc = 0
            for _ in range(BOMB_INFLATED // _BOMB_BLOCK):
                crc = zlib.crc32(zeros, crc)
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, mtime 0
            trailer = struct.pack("<II", crc, BOMB_INFLATED & 0xFFFFFFFF)
            _bomb = header + block * (BOMB_INFLATED // _BOMB_BLOCK) + final + trailer
        return _bomb
