"""Pure helpers that turn untrusted server text and measured numbers into safe Rich ``Text``.

Everything a server sends (headers, bodies, reasons, error messages) reaches the screen
through this module: control characters become visible symbols so an ESC sequence can
never drive the terminal, and text is wrapped in ``rich.text.Text`` objects, which are
never parsed as markup, so ``[@click=app.quit]`` stays literal. Highlighting uses
pygments one line at a time so a huge body costs only what is on screen; colours come
from the theme's pygments style, named in a palette mapping (the app's theme variables),
so the module needs no Textual.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound
from rich.style import Style
from rich.text import Text

from httpdiff.model import Category, Finding, Verdict
from httpdiff.storage.themes import VARIABLES

# Fallbacks for the app-level theme variables, used when a widget runs inside an app that
# does not define them (the widgets' own test harness): the core's defaults, no second palette.
THEME_DEFAULTS: dict[str, str] = VARIABLES

# Two non-colour theme variables: the theme's pygments style and its marker mode travel
# with its colours, so every widget reads one mapping (``App.theme_variables``).
SYNTAX_VARIABLE = "syntax-style"
MARKERS_VARIABLE = "diff-markers"
DEFAULT_SYNTAX = "monokai"

# Lines longer than this are shown plain: pygments on a megabyte-long minified line would
# stall the frame that first shows it.
HIGHLIGHT_MAX_LINE = 4_000
# Pretty-printing parses the whole body; above this size it runs off the UI's loop.
PRETTY_SYNC_LIMIT = 2 * 1024 * 1024

_C0 = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_C1_AND_BIDI = re.compile(r"[\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _c0_symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+2400 "control pictures" show each C0 code as one visible cell; DEL is U+2421.
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def visible(text: str) -> str:
    """``text`` with control characters drawn as symbols (ESC -> ␛); tab and newline kept.

    C1 controls and bidirectional overrides, which have no picture, become ``\\x9b`` /
    ``\\u202e`` escapes so reordering tricks cannot disguise a value.
    """
    text = _C0.sub(_c0_symbol, text)
    return _C1_AND_BIDI.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str, limit: int = 0) -> str:
    """``visible`` text folded onto one line (newline -> ↵, tab -> space), optionally cut."""
    flat = visible(text.replace("\r\n", "\n")).replace("\n", "↵").replace("\t", " ")
    if limit and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat


def safe_text(text: str, style: str | Style = "", *, limit: int = 0) -> Text:
    """Server text as a one-line ``Text`` that is never parsed as markup."""
    return Text(one_line(text, limit), style=style, no_wrap=True, end="")


def color(palette: Mapping[str, str], name: str) -> str:
    """A theme variable's colour, falling back to ``THEME_DEFAULTS``."""
    value = palette.get(name) or THEME_DEFAULTS.get(name, "")
    return value if value.startswith("#") else THEME_DEFAULTS.get(name, "")


def status_variable(status: int) -> str:
    """The theme variable that colours ``status``: status-2xx … status-5xx."""
    klass = status // 100
    return f"status-{klass}xx" if 2 <= klass <= 5 else "status-3xx"


def format_size(size: int) -> str:
    """A byte count in binary units, labelled as such (1,000,000 B is 976.6 KiB)."""
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def format_ms(value: float | None) -> str:
    """A duration for display; ``None`` is a phase the library cannot observe."""
    if value is None:
        return "not observable"
    if value < 1:
        return f"{value * 1000:.0f} µs"
    if value < 1000:
        return f"{value:.1f} ms"
    return f"{value / 1000:.2f} s"


# ---------------------------------------------------------------------------
# Body formatting and highlighting
# ---------------------------------------------------------------------------

_MIME_LEXERS: dict[str, str] = {
    "json": "json",
    "javascript": "javascript",
    "html": "html",
    "xml": "xml",
    "css": "css",
    "yaml": "yaml",
    "x-yaml": "yaml",
    "x-www-form-urlencoded": "text",
}


def mime_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json_type(content_type: str) -> bool:
    mime = mime_type(content_type)
    return mime.endswith("/json") or mime.endswith("+json")


def lexer_name(content_type: str, text: str = "") -> str | None:
    """The pygments lexer alias for a body, or ``None`` for plain text."""
    mime = mime_type(content_type)
    if is_json_type(content_type):
        return "json"
    subtype = mime.rsplit("/", 1)[-1].split("+")[-1]
    if subtype in _MIME_LEXERS:
        name = _MIME_LEXERS[subtype]
        return None if name == "text" else name
    stripped = text[:64].lstrip()
    if not mime and stripped[:1] in ("{", "["):
        return "json"
    if not mime and stripped[:1] == "<":
        return "html"
    return None


@lru_cache(maxsize=16)
def get_lexer(name: str) -> Lexer | None:
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def pretty_json(text: str) -> str | None:
    """``text`` re-indented when it is JSON, else ``None`` (never raises)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, (dict, list)):
        return None
    try:
        return json.dumps(data, indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return None


def syntax_style(palette: Mapping[str, str]) -> str:
    """The pygments style a palette names (``syntax-style``), or the default."""
    return palette.get(SYNTAX_VARIABLE) or DEFAULT_SYNTAX


def symbols_required(palette: Mapping[str, str]) -> bool:
    """True when the theme asks for shapes on top of colour (``markers: symbols``)."""
    return palette.get(MARKERS_VARIABLE) == "symbols"


@lru_cache(maxsize=8)
def token_styles(style_name: str) -> dict[_TokenType, Style]:
    """Rich styles for each token the pygments style colours.

    The style's background is left out on purpose: the body sits on the theme's own
    surface, and a second background would make a box inside the pane.
    """
    try:
        style_class = get_style_by_name(style_name)
    except ClassNotFound:
        style_class = get_style_by_name(DEFAULT_SYNTAX)
    styles: dict[_TokenType, Style] = {}
    for token, _ in style_class:
        spec = style_class.style_for_token(token)
        styles[token] = Style(
            color=f"#{spec['color']}" if spec["color"] else None,
            bold=spec["bold"] or None,
            italic=spec["italic"] or None,
            underline=spec["underline"] or None,
        )
    return styles


class Highlighter:
    """Highlights one line at a time with a pygments lexer and theme colours.

    Lexing per line loses multi-line state (a comment spanning lines), a fair price
    for never lexing more than the screen shows. JSON lines, the common case, lex
    correctly on their own.
    """

    def __init__(self, lexer: str | None, palette: Mapping[str, str]) -> None:
        self.lexer = get_lexer(lexer) if lexer else None
        self._styles = token_styles(syntax_style(palette))

    def _style_for(self, token: _TokenType) -> Style | None:
        # pygments styles list every token they know, parents included: a miss is rare
        return self._styles.get(token)

    def line(self, line: str) -> Text:
        """A display line: control characters visible, then highlighted when sensible.

        Token text is produced from the already-visible line, so every character shown
        went through ``visible`` and nothing becomes markup.
        """
        shown = visible(line).replace("\t", "    ")
        text = Text(no_wrap=True, end="")
        if self.lexer is None or len(shown) > HIGHLIGHT_MAX_LINE or not shown.strip():
            text.append(shown)
            return text
        for token, value in self.lexer.get_tokens(shown):
            text.append(value.replace("\n", ""), self._style_for(token))
        return text


MARK_SAME, MARK_DIFFERS, MARK_ONLY_HERE, MARK_NOISE = "same", "differs", "only here", "noise"
MARK_VARIABLES: dict[str, str] = {
    MARK_SAME: "",
    MARK_DIFFERS: "diff-changed",
    MARK_ONLY_HERE: "diff-added",
    MARK_NOISE: "diff-noise",
}
# Every mark also carries a shape, so a difference never depends on colour alone.
MARK_SYMBOLS: dict[str, str] = {
    MARK_SAME: "=",
    MARK_DIFFERS: "≠",
    MARK_ONLY_HERE: "+",
    MARK_NOISE: "~",
}


def mark_label(mark: str) -> str:
    """A mark as shown: its symbol and its word ("≠ differs"); "" for no mark."""
    return f"{MARK_SYMBOLS[mark]} {mark}" if mark in MARK_SYMBOLS else mark


def header_marks(
    findings: tuple[Finding, ...], category: Category, backend: str
) -> dict[str, str]:
    """Lower-cased header name -> how it compares, seen from ``backend``'s side.

    Names with no finding are the same on every side; the caller shows them as such.
    """
    marks: dict[str, str] = {}
    for finding in findings:
        if finding.category is not category:
            continue
        key = finding.subject.lower()
        if finding.verdict is Verdict.NOISE:
            marks[key] = MARK_NOISE
            continue
        others = [v for name, v in finding.values.items() if name != backend]
        if finding.values.get(backend) is not None and all(v is None for v in others):
            marks[key] = MARK_ONLY_HERE
        else:
            marks[key] = MARK_DIFFERS
    return marks


_BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/octet-stream",
                 "application/zip", "application/gzip", "application/pdf", "application/wasm")


def looks_binary(body: bytes, content_type: str = "") -> bool:
    """True for bodies better shown as a hex dump than as text.

    A binary media type decides; otherwise the start of the body is binary when more
    than a tenth of it is control bytes or undecodable UTF-8. A stray NUL or ESC in a
    text body (a hostile server) keeps it text, shown with visible control symbols.
    """
    mime = mime_type(content_type)
    if mime.startswith(_BINARY_TYPES):
        return True
    head = body[:4096]
    if not head:
        return False
    decoded = head.decode("utf-8", errors="replace")
    odd = sum(1 for ch in decoded if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\x0c\x1b"))
    return odd > max(len(decoded) // 10, 2)


def hexdump(data: bytes, limit: int = 64 * 1024) -> list[str]:
    """``data`` (at most ``limit`` bytes) as classic 16-bytes-per-line hex dump lines."""
    lines = []
    for offset in range(0, min(len(data), limit), 16):
        chunk = data[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        chars = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {chars}")
    return lines


def find_all(line: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``line``, case-insensitive."""
    if not needle:
        return []
    hay, pin = line.lower(), needle.lower()
    found, start = [], hay.find(pin)
    while start >= 0:
        found.append(start)
        start = hay.find(pin, start + max(len(pin), 1))
    return found


__all__ = [
    "DEFAULT_SYNTAX",
    "HIGHLIGHT_MAX_LINE",
    "MARKERS_VARIABLE",
    "MARK_SYMBOLS",
    "MARK_VARIABLES",
    "PRETTY_SYNC_LIMIT",
    "SYNTAX_VARIABLE",
    "THEME_DEFAULTS",
    "Highlighter",
    "color",
    "find_all",
    "format_ms",
    "format_size",
    "header_marks",
    "hexdump",
    "is_json_type",
    "lexer_name",
    "looks_binary",
    "mark_label",
    "mime_type",
    "one_line",
    "pretty_json",
    "safe_text",
    "status_variable",
    "symbols_required",
    "syntax_style",
    "token_styles",
    "visible",
]
