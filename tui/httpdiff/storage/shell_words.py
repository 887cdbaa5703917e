"""Shell command lines split into commands and words, without running anything.

curl commands arrive as shell text: pasted from a browser's "copy as cURL", or kept
one per line in a file. ``split_commands`` reads that text the way a POSIX shell
would split it (quotes, backslash escapes, ``$'...'``, line continuations,
``#`` comments), so a file of several commands gives several commands and a quoted
body spanning lines stays one word.

The decision: anything a shell would *run* or *redirect* (``$(...)``, backticks,
pipes, ``;``, ``&&``, ``&``, ``<`` / ``>``, sub-shells) cannot be carried into a
request, and guessing what it would have produced is how ``curl $(rm -rf /) u``
once became ``url: http://$(rm``. Such a command gets a ``problem`` naming the
operator and is refused by its callers; nothing here ever executes anything.
Shell variables (``$TOKEN``) are kept as written and listed, so the caller can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CURL_LINE = re.compile(r"[ \t]*curl(?:[ \t]|$)", re.MULTILINE)
_VARIABLE = re.compile(r"\$(\{[^}\n]*\}|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])")
_ANSI_C = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
           "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_ANSI_C_NUMBER = re.compile(r"x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}")
_OPERATORS = {
    "|": "a pipe '|'", ";": "a command separator ';'", "&": "a background '&'",
    "&&": "a command list '&&'", "||": "a command list '||'",
    "<": "a redirection '<'", ">": "a redirection '>'", "(": "a sub-shell '('",
    ")": "a sub-shell ')'", "`": "a command substitution `...`",
}


@dataclass(frozen=True, slots=True)
class ShellCommand:
    """One command: where it starts, its text as written, its words, and why it is refused."""

    line: int
    text: str
    words: tuple[str, ...]
    problem: str = ""
    variables: tuple[str, ...] = ()


@dataclass
class _Builder:
    line: int
    start: int
    words: list[str] = field(default_factory=list)
    word: list[str] | None = None
    problem: str = ""
    variables: list[str] = field(default_factory=list)

    def char(self, text: str) -> None:
        if self.word is None:
            self.word = []
        self.word.append(text)

    def end_word(self) -> None:
        if self.word is not None:
            self.words.append("".join(self.word))
            self.word = None

    def refuse(self, what: str) -> None:
        self.problem = self.problem or (f"uses {what}, which a shell would run or redirect; "
                                        "httpdiff runs nothing, so the command is refused")

    def unsplittable(self, why: str) -> None:
        self.problem = self.problem or f"cannot split the command: {why}"


def _ansi_c(text: str, i: int, out: _Builder) -> int:
    """Decode ``$'...'`` from just after the opening quote; returns the index after it."""
    while i < len(text):
        c = text[i]
        if c == "'":
            return i + 1
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ANSI_C:
                out.char(_ANSI_C[nxt])
                i += 2
                continue
            number = _ANSI_C_NUMBER.match(text, i + 1)
            if number:
                digits = number.group()
                value = int(digits, 8) if digits[0].isdigit() else int(digits[1:], 16)
                out.char(chr(min(value, 0x10FFFF)))
                i = number.end()
                continue
        out.char(c)
        i += 1
    out.unsplittable("an unclosed $'...' quote")
    return i


def _dollar(text: str, i: int, out: _Builder) -> int:
    """Handle ``$`` at ``i`` (outside single quotes); returns the next index to read."""
    if text.startswith("$(", i):
        out.refuse("a command substitution $(...)")
    variable = _VARIABLE.match(text, i)
    if variable:
        out.variables.append(variable.group())
        out.char(variable.group())
        return variable.end()
    out.char("$")
    return i + 1


def split_commands(text: str) -> list[ShellCommand]:
    """The commands in ``text``: one per line unless a newline is escaped or quoted.

    A line starting with ``curl`` always starts a new command, so a forgotten
    continuation or an unclosed quote spoils only its own command.
    """
    text = text.replace("\r\n", "\n")
    commands: list[ShellCommand] = []
    cur: _Builder | None = None
    quote = ""  # "", "'", '"'
    quote_line = 0
    line, i, n = 1, 0, len(text)

    def finish(end: int) -> None:
        nonlocal cur, quote
        if cur is None:
            return
        if quote:
            cur.unsplittable(f"an unclosed {quote} quote (opened on line {quote_line})")
            quote = ""
        cur.end_word()
        if cur.words or cur.problem:
            commands.append(ShellCommand(cur.line, text[cur.start:end].strip(),
                                         tuple(cur.words), cur.problem, tuple(cur.variables)))
        cur = None

    while i < n:
        c = text[i]
        if (i == 0 or text[i - 1] == "\n") and cur is not None and _CURL_LINE.match(text, i):
            finish(i)
        if cur is None:
            if c in " \t\r\n":
                line += c == "\n"
                i += 1
                continue
            cur = _Builder(line, i)
        if quote == "'":
            if c == "'":
                quote = ""
            else:
                cur.char(c)
        elif quote == '"':
            if c == '"':
                quote = ""
            elif c == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
                if text[i + 1] != "\n":
                    cur.char(text[i + 1])
                else:
                    line += 1
                i += 2
                continue
            elif c == "$":
                i = _dollar(text, i, cur)
                continue
            elif c == "`":
                cur.refuse(_OPERATORS["`"])
            else:
                cur.char(c)
        elif c == "\\":
            if text.startswith("\n", i + 1):
                i += 2  # a line continuation: the shell joins the lines
                line += 1
                continue
            if i + 1 < n:
                cur.char(text[i + 1])
            i += 2
            continue
        elif c == "\n":
            finish(i)
        elif c in " \t\r":
            cur.end_word()
        elif c in "'\"":
            quote, quote_line = c, line
            cur.char("")
        elif c == "$" and text.startswith("$'", i):
            cur.char("")
            i = _ansi_c(text, i + 2, cur)
            continue
        elif c == "$":
            i = _dollar(text, i, cur)
            continue
        elif c == "#" and cur.word is None:
            while i < n and text[i] != "\n":
                i += 1  # a comment, to the end of the line
            continue
        elif c in _OPERATORS:
            cur.refuse(_OPERATORS.get(text[i:i + 2], _OPERATORS[c]))
            cur.char(c)
        else:
            cur.char(c)
        line += c == "\n"
        i += 1
    finish(n)
    return commands


__all__ = ["ShellCommand", "split_commands"]
