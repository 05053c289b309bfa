"""Make text that learner code produced safe to show: in a terminal, a CI log, XML, CSV or Markdown.

Everything a submission can influence (failure messages, exception text, file names) passes
through `clean` before any output format sees it. It removes what could act instead of being
read: terminal escape sequences, control characters, and lines that GitHub Actions would run as
workflow commands (`::notice ...`, `::set-output ...`, the older `##[...]` form).
"""

from __future__ import annotations

import re

MAX_CHARS = 4000
MAX_LINES = 40

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0 and C1 controls, DEL, and the code points XML 1.0 forbids; \t and \n stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The Actions runner trims a line, then treats `::name ...::` and `##[name ...]` as commands.
_COMMAND = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)
COMMAND_GUARD = "| "


def clean(text: object, max_chars: int = MAX_CHARS, max_lines: int = MAX_LINES) -> str:
    """Printable, command-free, bounded text: safe to print in a CI log or put in a report."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _ANSI.sub("", text))
    text = _COMMAND.sub(lambda m: m.group(1) + COMMAND_GUARD + m.group(2), text)
    lines = text.rstrip().split("\n")
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... ({len(lines) - max_lines} more lines)"]
    text = "\n".join(lines)
    if len(text) > max_chars:
        text = text[:max_chars] + f"... ({len(text) - max_chars} more characters)"
    return text


def one_line(text: object, max_chars: int = 200) -> str:
    """The first line of `clean(text)`, for table cells and XML attributes."""
    first = clean(text, max_chars=max_chars).split("\n", 1)[0]
    return first


def csv_cell(text: object) -> str:
    """A spreadsheet cell that cannot start a formula (`=`, `+`, `-`, `@`)."""
    text = one_line(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def code_fence(text: str) -> str:
    """Markdown code block that `text` cannot close early, however many backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"
