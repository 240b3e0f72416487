"""Suppression comments: ``<!-- copydesk-disable ... -->`` ranges, as in Vale, in Markdown and HTML.

::

    <!-- copydesk-disable -->                  everything, to the next copydesk-enable
    <!-- copydesk-disable style grammar -->    only these selectors
    <!-- copydesk-enable -->                   ends every open range
    <!-- copydesk-enable style -->             ends the ranges opened for these selectors
    <!-- copydesk-disable-file translationese.till -->   the whole file

A selector means what it means everywhere (``service.rulebook.selectors``). Selectors are
separated by spaces or commas. A range without an enable runs to the end of the file. A
comment shown inside a code block is code, not a directive. The readers find the comments;
this module turns their contents into :class:`~service.findings.Suppression` ranges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..findings import Suppression

_DIRECTIVE = re.compile(r"\A\s*copydesk-(disable-file|disable|enable)(?:\s+(.*?))?\s*\Z", re.DOTALL)
_SELECTOR_SEPARATOR = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Directive:
    offset: int
    kind: str
    selectors: tuple[str, ...]


def read_directive(comment: str, offset: int) -> Directive | None:
    """A ``copydesk-...`` directive from the inside of an HTML comment, if it is one."""
    match = _DIRECTIVE.match(comment)
    if match is None:
        return None
    selectors = tuple(s for s in _SELECTOR_SEPARATOR.split(match.group(2) or "") if s)
    return Directive(offset, match.group(1), selectors)


def suppressions(directives: Sequence[Directive], length: int) -> tuple[Suppression, ...]:
    """Turn disable/enable comments, in document order, into ranges."""
    ranges: list[Suppression] = []
    open_ranges: list[tuple[int, tuple[str, ...]]] = []
    for d in sorted(directives, key=lambda d: d.offset):
        if d.kind == "disable-file":
            ranges.append(Suppression(0, length, d.selectors))
        elif d.kind == "disable":
            open_ranges.append((d.offset, d.selectors))
        elif not d.selectors:  # a plain enable ends everything
            ranges.extend(Suppression(start, d.offset, sel) for start, sel in open_ranges)
            open_ranges = []
        else:
            # A named enable ends the named part of the ranges opened for selectors; a blanket
            # disable cannot be narrowed by naming rules, so it stays open.
            still_open: list[tuple[int, tuple[str, ...]]] = []
            for start, sel in open_ranges:
                remaining = tuple(s for s in sel if s not in d.selectors)
                if not sel or remaining == sel:
                    still_open.append((start, sel))
                    continue
                ranges.append(Suppression(start, d.offset, sel))
                if remaining:
                    still_open.append((d.offset, remaining))
            open_ranges = still_open
    ranges.extend(Suppression(start, length, sel) for start, sel in open_ranges)
    return tuple(sorted(ranges, key=lambda s: (s.start, s.end)))


