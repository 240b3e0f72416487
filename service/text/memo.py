"""One bounded memo for work that depends on a short string alone (a word, a sentence, a
paragraph, a headline), which an edited article mostly repeats: the text layer, the checks,
the rule book and the headline model all keep such work, and this is how.

Every memo is sized by one setting, ``COPYDESK_MEMO_ENTRIES`` (:func:`keep`): a memo of
sentences, paragraphs or headlines keeps that many, a memo of words a fixed multiple of it.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from ..settings import Settings

T = TypeVar("T")

# The setting's default until a process sizes its memos (build_services does).
_entries: int = Settings.memo_entries
# Every memo made so far: module-level ones live as long as the process, a model's or a
# check's as long as it does.
_memos: weakref.WeakSet[Any] = weakref.WeakSet()


# Strings longer than this are kept by their 16-byte BLAKE2b digest, not by themselves: a memo of
# paragraphs then costs a few dozen bytes a key instead of the paragraph (up to 16 KB in four-byte
# characters). Digests are bytes, which the garbage collector does not track. Shorter strings,
# most news sentences among them, are kept as they are: an earlier threshold of 64 characters
# made digesting them cost an edited 2,000-word article 3 to 5 ms.
DIGEST_FROM = 256


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def remembered(longest: int, scale: int = 1) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep what a function gave for the last ``scale`` x ``COPYDESK_MEMO_ENTRIES`` calls whose
    first argument, a string, is at most ``longest`` code points (the other arguments, if any,
    are part of the key); longer ones are computed each time, so the memory stays bounded
    whatever clients send. A first argument longer than DIGEST_FROM is kept as its digest.
    ``cache_clear`` empties it, ``cache_info`` tells its size."""

    def wrap(function: Callable[..., T]) -> Callable[..., T]:
        kept: Any = None
        # The string a digest key stands for, while the memo computes its value (in this thread;
        # a memo's function never calls the same memo, so one is enough).
        digested = threading.local()

        def reading(key: str | bytes, *rest: Any) -> T:
            return function(digested.text if type(key) is bytes else key, *rest)

        def size(entries: int) -> None:
            nonlocal kept
            kept = functools.lru_cache(maxsize=entries * scale)(reading)

        size(_entries)

        @functools.wraps(function)
        def call(key: str, *rest: Any) -> T:
            length = len(key)
            if length > longest:
                return function(key, *rest)
            if length <= DIGEST_FROM:
                return kept(key, *rest)
            digested.text = key
            try:
                return kept(_digest(key), *rest)
            finally:
                digested.text = None

        call.cache_clear = lambda: kept.cache_clear()  # type: ignore[attr-defined]
        call.cache_info = lambda: kept.cache_info()  # type: ignore[attr-defined]
        call.resize = size  # type: ignore[attr-defined]
        _memos.add(call)
        return call

    return wrap


def entries() -> int:
    """What :func:`keep` was last given (a memo of its own, such as the headline scorer's, sizes
    itself by it)."""
    return _entries


def keep(entries: int) -> None:
    """Size every memo, made or still to be made, for ``entries`` (0: none is kept). What the
    memos held is dropped, so this belongs where a process starts, before it serves."""
    global _entries
    if entries < 0:
        raise ValueError("a memo cannot keep fewer than 0 entries")
    _entries = entries
    for memo in list(_memos):
        memo.resize(entries)
