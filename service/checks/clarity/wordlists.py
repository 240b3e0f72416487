"""The word lists the clarity measures read, kept as data in ``wordlists/*.txt``.

A list file is lines of lower-case entries, ``#`` comments and ``[section]`` headers; each
file says where its words come from. They are read once per process (the files are small)
and handed out as frozen sets, so a measure looks a word up in constant time.
"""

from __future__ import annotations

import functools
from importlib import resources


class WordListError(ValueError):
    """A list file is malformed: an entry before any section, or a section twice."""


@functools.cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """The sections of ``wordlists/<name>.txt``, each as its entries in file order."""
    text = resources.files(__package__).joinpath("wordlists", f"{name}.txt").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            title = line[1:-1].strip()
            if title in found:
                raise WordListError(f"{name}.txt:{number}: section [{title}] appears twice")
            current = found[title] = []
        elif current is None:
            raise WordListError(f"{name}.txt:{number}: entry {line!r} before any [section]")
        else:
            current.append(" ".join(line.lower().split()))
    return {title: tuple(entries) for title, entries in found.items()}


def words(name: str, *titles: str) -> frozenset[str]:
    """The entries of the named sections of a list (all sections when none is named)."""
    chosen = sections(name)
    keys = titles or tuple(chosen)
    return frozenset(entry for key in keys for entry in chosen[key])


def phrases(name: str, *titles: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Multi-word entries indexed by their first word, longest first, for linear matching:
    at each word only the phrases that start with it are tried."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for entry in words(name, *titles):
        parts = tuple(entry.split())
        index.setdefault(parts[0], []).append(parts)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in index.items()}
