"""File names and messages in lines that people read and that GitHub Actions parses.

GitHub Actions reads every line a step writes, to standard output and to standard error, and
runs a line that starts, after its leading spaces, with ``::`` as a workflow command
(``::error::``, ``::add-mask::``, ``::stop-commands::``), and one that starts with ``##[`` as an
older runner's command. The ``github`` format writes commands on purpose, escaped as GitHub
documents (``formats/github.py``). Everywhere else, a file name or a message must not start a
line: a file named ``::warning::x.md``, or ``a`` + line break + ``::error::x.md``, would be a
command. So in every other line of output:

* :func:`printable` writes line breaks and the other control characters as escapes (``\\n``,
  ``\\x1b``): a value stays on its line, and a name cannot move a terminal's cursor either;
* :func:`line_start` is for a value that starts a line: a name that would start a command is
  written ``./name``, which names the same file.

:func:`issue_line` builds the one line an issue is everywhere but in the ``github`` command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .results import Location

# Control characters (C0 but the tab, DEL, C1): a line break ends a line; the others can
# rewrite what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
COMMAND_STARTS = ("::", "##[")


def printable(text: str) -> str:
    """``text`` with each control character but the tab written as an escape."""
    return _CONTROL.sub(lambda match: _NAMED.get(match[0], f"\\x{ord(match[0]):02x}"), text)


def line_start(text: str) -> str:
    """:func:`printable` ``text``, for the start of a line: ``./`` goes before it when GitHub
    Actions would read it as a command."""
    shown = printable(text)
    return f"./{shown}" if shown.lstrip().startswith(COMMAND_STARTS) else shown


def _as_is(text: str) -> str:
    return text


def issue_line(
    path: str, issue: Mapping[str, Any], loc: Location,
    severity: Callable[[str], str] = _as_is, rule: Callable[[str], str] = _as_is,
) -> str:
    """``path:line:col severity rule message``, the form editors and annotators parse: an issue's
    first line in the ``human`` format, which styles the severity and the rule id with ``severity``
    and ``rule``, and its line in a JUnit test case, which does not."""
    where = f"{line_start(path)}:{loc.line}:{loc.column}"
    return f"{where} {severity(issue['severity'])} {rule(printable(issue['rule']['id']))} {printable(issue['message'])}"
