"""What a rule's regular expression may be, and what text it needs: both read from the
regex's syntax tree (``re._parser``, the stdlib's own parser), once, when a pack loads.

``regex_problem`` refuses patterns a backtracking engine could take polynomial or
exponential time on, so a hostile request cannot stall a worker. ``required_literals``
finds the literal text every match must contain, so the engine can skip a rule (or all
paragraphs without that text) at the cost of a substring search.
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # the stdlib's regex AST
import re._parser as sre_parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..text.segments import LINE_END, LINE_START

# --------------------------------------------------------------------------------------------
# Regex safety: no nested quantifiers, no backreferences (so matching stays linear in practice)
# --------------------------------------------------------------------------------------------

_REPEATS = {
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    getattr(sre_constants, "POSSESSIVE_REPEAT", None),
}


def regex_problem(pattern: str, flags: int = 0) -> str | None:
    """Why ``pattern``, compiled with ``flags``, is unsafe or invalid, or None when it is fine
    (``re.IGNORECASE`` makes more characters alike, so more repeats can share them)."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error as exc:
        return f"invalid regex: {exc}"

    def walk(items: Iterable[Any], inside_repeat: bool) -> str | None:
        for op, arg in items:
            if op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
                return "backreferences are not allowed"
            if op in _REPEATS:
                low, high, body = arg
                unbounded_or_many = high == sre_constants.MAXREPEAT or high > 1
                if inside_repeat and unbounded_or_many:
                    return "nested quantifiers are not allowed (they can take exponential time)"
                problem = walk(body, inside_repeat or unbounded_or_many)
            elif op == sre_constants.SUBPATTERN:
                problem = walk(arg[-1], inside_repeat)
            elif op == sre_constants.BRANCH:
                problem = next((p for branch in arg[1] if (p := walk(branch, inside_repeat))), None)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                problem = walk(arg[1], inside_repeat)
            else:
                problem = None
            if problem:
                return problem
        return None

    problem = walk(parsed, False)
    if problem:
        return problem
    try:
        _shape_seq(parsed, bool(parsed.state.flags & re.IGNORECASE), False)
    except _Ambiguous as exc:
        return str(exc)
    return None


# Ambiguity: a regex engine that backtracks is slow when one stretch of text can be split
# between two parts of the pattern in many ways. Nested quantifiers are the classic case
# (refused above); the same happens with two repeats side by side that can eat the same
# characters (r"\w+\s*\w+": polynomial), with alternatives or optional parts inside a
# repeat that can start alike (r"(?:a|ab)+", r"(?:a?a)+": exponential). Character sets are
# compared on a sample alphabet (ASCII plus typical non-ASCII letters, spaces and quotes),
# which is enough for the classes rules use.

_SAMPLE = frozenset(
    [chr(c) for c in range(9, 127)] + list("\u00a0\u2009\u2028\u0085éÉßñÑçøЖж中😀’‘“”–—…€₹क।")
)
_CATEGORIES = {
    getattr(sre_constants, name): re.compile(regex)
    for name, regex in {
        "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
        "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
    }.items()
}
_NOTHING: frozenset[str] = frozenset()


class _Ambiguous(Exception):
    pass


@dataclass(frozen=True)
class _Shape:
    """What a piece of a pattern can consume: may it be empty, which (sample) characters can
    come first and last, and which of those a variable-length part can consume."""

    nullable: bool
    first: frozenset[str]
    last: frozenset[str]
    var_first: frozenset[str] = _NOTHING
    var_last: frozenset[str] = _NOTHING
    # The same for short bounded repeats ({0,30}) outside any repeat (see _SHORT_REPEAT).
    short_first: frozenset[str] = _NOTHING
    short_last: frozenset[str] = _NOTHING


_EMPTY = _Shape(True, _NOTHING, _NOTHING)
_SHORT_REPEAT = 100


def _same(a: str, b: str, icase: bool) -> bool:
    return a == b or (icase and a.lower() == b.lower())


def _in_class(items: Any, ch: str, icase: bool) -> bool:
    negate, hit = False, False
    for op, arg in items:
        if op == sre_constants.NEGATE:
            negate = True
        elif op == sre_constants.LITERAL:
            hit = hit or _same(chr(arg), ch, icase)
        elif op == sre_constants.RANGE:
            low, high = arg
            # A case variant can be longer than one character ("ß".upper() is "SS"): such a
            # variant is no character the range could hold.
            variants = {ch, ch.lower(), ch.upper()} if icase else {ch}
            hit = hit or any(len(c) == 1 and low <= ord(c) <= high for c in variants)
        elif op == sre_constants.CATEGORY:
            hit = hit or bool(_CATEGORIES[arg].match(ch)) if arg in _CATEGORIES else True
        else:
            hit = True  # unknown item: assume it can match (conservative)
    return hit != negate


def _chars(op: Any, arg: Any, icase: bool) -> frozenset[str]:
    if op == sre_constants.LITERAL:
        return frozenset(c for c in _SAMPLE | {chr(arg)} if _same(chr(arg), c, icase))
    if op == sre_constants.NOT_LITERAL:
        return frozenset(c for c in _SAMPLE if not _same(chr(arg), c, icase))
    if op == sre_constants.IN:
        return frozenset(c for c in _SAMPLE if _in_class(arg, c, icase))
    return _SAMPLE  # ANY


def _shape_seq(items: Any, icase: bool, in_repeat: bool) -> _Shape:
    """The shape of a sequence, refusing two variable parts that can split the same stretch of
    text between them (see ``_Tail``)."""
    nullable, first, var_first, short_first = True, set(), set(), set()
    last: set[str] = set()
    var, short = _Tail(), _Tail()
    for op, arg in items:
        shape = _shape(op, arg, icase, in_repeat)
        clash = var.clash(shape.first if in_repeat else shape.var_first)
        if clash:
            raise _Ambiguous(
                "two repeats next to each other (or with only what both can take between them) can match "
                f"the same characters (e.g. {_example(clash)!r}), which takes polynomial or exponential time"
            )
        clash = short.clash(shape.short_first)
        if clash:
            raise _Ambiguous(
                "two bounded repeats next to each other (or with only what both can take between them) "
                f"can match the same characters (e.g. {_example(clash)!r}): their ways to split a text multiply"
            )
        if nullable:
            first |= shape.first
            var_first |= shape.var_first
            short_first |= shape.short_first
        last = last | shape.last if shape.nullable else set(shape.last)
        var.then(shape, shape.var_last)
        short.then(shape, shape.short_last)
        nullable = nullable and shape.nullable
    return _Shape(
        nullable, frozenset(first), frozenset(last), frozenset(var_first), frozenset(var.pending),
        frozenset(short_first), frozenset(short.pending),
    )


class _Tail:
    r"""The repeats a sequence read so far ends with, for the next part to be checked against.

    ``adjacent``: the characters repeats right before the next part can take (through parts that
    may match nothing). A repeat also reaches past a fixed part it could take itself (``open``:
    the characters it takes), and then the next repeat clashes with it if that one can start
    like the fixed part (``through``): in r"\S+@\S+" the first repeat can take "@" and the
    second can start with it, so on "a@a@a..." the two split the text at any "@" (polynomial
    time, a power for each such repeat). In r"[^\n]*\S\s*$" the second cannot start with
    what "\S" takes, and the split is forced."""

    def __init__(self) -> None:
        self.adjacent: set[str] = set()
        self.open: set[str] = set()
        self.through: set[str] = set()

    @property
    def pending(self) -> set[str]:
        return self.adjacent | self.through

    def clash(self, starts: frozenset[str]) -> set[str]:
        return set(starts) & self.pending

    def then(self, shape: _Shape, repeated: frozenset[str]) -> None:
        """The tail after a part of this ``shape`` whose own repeats take ``repeated``."""
        if shape.nullable:
            self.adjacent |= repeated
            self.open |= repeated
        elif self.open & shape.first and self.open & shape.last:  # the repeats before can take it
            self.through = self.through or set(shape.first)
            self.adjacent = set(repeated)
            self.open |= repeated
        else:
            self.adjacent, self.open, self.through = set(repeated), set(repeated), set()


def _example(chars: set[str]) -> str:
    """A character of ``chars`` to name in a message: a visible one if there is one."""
    return min(chars, key=lambda c: (not c.isprintable() or c.isspace(), c))


def _shape(op: Any, arg: Any, icase: bool, in_repeat: bool) -> _Shape:
    if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.ANY):
        chars = _chars(op, arg, icase)
        return _Shape(False, chars, chars)
    if op == sre_constants.SUBPATTERN:
        _, add, remove, body = arg
        inner_icase = (icase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
        return _shape_seq(body, inner_icase, in_repeat)
    if op == getattr(sre_constants, "ATOMIC_GROUP", None):
        return _shape_seq(arg, icase, in_repeat)
    if op == sre_constants.BRANCH:
        shapes = [_shape_seq(branch, icase, in_repeat) for branch in arg[1]]
        if in_repeat:
            for n, one in enumerate(shapes):
                for other in shapes[n + 1 :]:
                    if one.nullable or other.nullable or one.first & other.first:
                        raise _Ambiguous(
                            "alternatives inside a repeat can start with the same character, "
                            "which takes exponential time"
                        )
        union = frozenset[str]().union
        return _Shape(
            any(s.nullable for s in shapes),
            union(*(s.first for s in shapes)),
            union(*(s.last for s in shapes)),
            union(*(s.var_first for s in shapes)),
            union(*(s.var_last for s in shapes)),
            union(*(s.short_first for s in shapes)),
            union(*(s.short_last for s in shapes)),
        )
    if op in _REPEATS:
        low, high, body = arg
        inner = _shape_seq(body, icase, in_repeat or high > 1)
        if high > 1 and (inner.nullable or inner.var_last & inner.first):
            raise _Ambiguous(
                "a repeated group can end the way it starts (or match nothing), which takes exponential time"
            )
        # Outside a repeat, a short bounded repeat ({0,30}) can only split a stretch of text a
        # bounded number of ways: harmless beside an unbounded one, but two side by side
        # multiply their ways (short_first, short_last). Inside a repeat every variable part counts.
        variable = high != low and (in_repeat or high > _SHORT_REPEAT)
        short = high != low and high > 1 and not variable  # an optional part ("?") splits nothing
        return _Shape(
            low == 0 or inner.nullable,
            inner.first,
            inner.last,
            inner.var_first | (inner.first if variable else _NOTHING),
            inner.var_last | (inner.last if variable else _NOTHING),
            inner.short_first | (inner.first if short else _NOTHING),
            inner.short_last | (inner.last if short else _NOTHING),
        )
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        _shape_seq(arg[1], icase, False)
    return _EMPTY  # anchors, lookarounds and other zero-width items


# --------------------------------------------------------------------------------------------
# Line anchors: ^ and $ at every line break segments knows
# --------------------------------------------------------------------------------------------


def line_anchors(pattern: str) -> str:
    """``pattern`` with each ``^`` and ``$`` (neither escaped nor in a character class) matching
    at the start and the end of every line as ``service.text.segments`` cuts lines ("\\r\\n",
    "\\r" or "\\n"), not only around "\\n" as Python's multiline anchors do."""
    parts, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            end = i + 2
        elif char == "[":
            end = _class_end(pattern, i)
        else:
            end = i + 1
        parts.append(LINE_START if char == "^" else LINE_END if char == "$" else pattern[i:end])
        i = end
    return "".join(parts)


def _class_end(pattern: str, start: int) -> int:
    """Where the character class opened at ``start`` ends (after its ``]``; a ``]`` first in the
    class, or after its ``^``, is a member)."""
    i = start + 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


# --------------------------------------------------------------------------------------------
# Prefilter: literal text every match must contain, so most rules skip most texts for free
# --------------------------------------------------------------------------------------------

_LITERAL_OPS = (sre_constants.LITERAL,)


def _needs(items: Any) -> frozenset[str] | None:
    """A set of strings at least one of which occurs (lower-cased) in every match of the
    parsed sequence ``items``, or None when no such set is known. Longer literals win."""
    best: frozenset[str] | None = None

    def better(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and all(candidate) and (best is None or min(map(len, candidate)) > min(map(len, best))):
            best = candidate

    run: list[str] = []
    for op, arg in list(items) + [(None, None)]:
        if op in _LITERAL_OPS:
            run.append(chr(arg).lower())
            continue
        if run:
            better(frozenset({"".join(run)}))
            run = []
        if op == sre_constants.SUBPATTERN:
            better(_needs(arg[-1]))
        elif op == sre_constants.BRANCH:
            branches = [_needs(branch) for branch in arg[1]]
            if all(branches):
                better(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in _REPEATS and arg[0] >= 1:
            better(_needs(arg[2]))
    return best


def required_literals(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased strings one of which every match of ``regex`` contains (None: unknown).

    Used only as a skip test (``any(s in text.lower() ...)``); a rule whose literals are
    absent cannot match, so its regex never runs. Only runs of plain literal characters
    count, never character classes, so the test is conservative.
    """
    try:
        needs = _needs(sre_parse.parse(regex.pattern, regex.flags & ~re.UNICODE))
    except re.error:  # pragma: no cover - the pattern compiled already
        return None
    # One-letter needles filter nothing; keep the prefilter for words.
    return needs if needs and min(map(len, needs)) >= 3 else None


# --------------------------------------------------------------------------------------------
# Reach: how far before the position it starts from a search can read
# --------------------------------------------------------------------------------------------


def look_behind(regex: re.Pattern[str]) -> int:
    """How many characters before the position a search starts at can decide its matches:
    one for ``\\b``, ``^`` and the like, plus the width of every look-behind (look-behinds
    inside look-behinds add up; Python's are fixed-width). A paragraph's matches depend on its
    text and at most this many characters before it."""
    reach = 1

    def walk(items: Any) -> None:
        nonlocal reach
        for op, arg in items:
            if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                direction, body = arg
                if direction < 0:
                    reach += body.getwidth()[1]
                walk(body)
            elif op == sre_constants.SUBPATTERN:
                walk(arg[-1])
            elif op == sre_constants.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            elif op in _REPEATS:
                walk(arg[2])

    walk(sre_parse.parse(regex.pattern, regex.flags & ~re.UNICODE))
    return reach
