"""One bounded memo for work that depends on a short string alone (a word, a sentence, a
paragraph), which an edited article mostly repeats: the text layer, the checks and the rule
book all keep such work, and this is how."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def remembered(entries: int, longest: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Keep what a function of one string gave for the last ``entries`` strings of up to
    ``longest`` code points; longer ones are computed each time, so the memory stays bounded
    whatever clients send. ``cache_clear`` empties it."""

    def wrap(function: Callable[[str], T]) -> Callable[[str], T]:
        kept = functools.lru_cache(maxsize=entries)(function)

        @functools.wraps(function)
        def call(key: str) -> T:
            return kept(key) if len(key) <= longest else function(key)

        call.cache_clear = kept.cache_clear  # type: ignore[attr-defined]
        return call

    return wrap
