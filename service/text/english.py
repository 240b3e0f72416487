"""Whether a text reads as English: copydesk's own checks (readability, the rule packs, the
headline model) read English only, and only LanguageTool tells other languages apart."""

from __future__ import annotations

from .segments import word_count, words

# The commonest words of English: prose in English has many of its words among them, prose in
# German, French or Spanish few (tests/test_text.py measures both). Not "a", "an", "in", "is",
# "on", "i", "was", "will": those are words of Dutch, German, Italian ... too.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to that for it with as he she they be by at this are from his her have has had "
    "not but or which were their said would been who we you its".split()
)
ENGLISH_SHARE = 0.1
# Fewer words than this tell too little to say a text is not English ("I am done." has none).
MIN_WORDS_TO_TELL = 20


def reads_as_english(text: str) -> bool:
    """Whether ``text`` is English prose by its share of ENGLISH_FUNCTION_WORDS."""
    found = [span.of(text).casefold() for span in words(text)]
    return bool(found) and sum(word in ENGLISH_FUNCTION_WORDS for word in found) >= ENGLISH_SHARE * len(found)


def english_or_unknown(text: str) -> bool | None:
    """``reads_as_english``, or None for a text too short to tell (MIN_WORDS_TO_TELL)."""
    return reads_as_english(text) if word_count(text) >= MIN_WORDS_TO_TELL else None
