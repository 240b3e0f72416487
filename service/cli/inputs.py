"""Which files a run checks, how each is read, and in which format.

Arguments may be files, directories (walked recursively) and globs (``docs/**/*.md``), or
``-`` for standard input. A file named on the command line is checked whatever its
extension; directories and globs pick only the extensions below, skip hidden files and
folders, and skip whatever matches an ``exclude`` pattern. Nothing matching is an error,
never a silent pass.

Files, and standard input, are read as bytes and decoded as UTF-8 (a byte-order mark is
dropped, as editors do) with their line endings untouched, so offsets in a report are code
points of the file as it is, and stdin is not left to the locale's decoding.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..markup import FORMATS

FORMAT_BY_EXTENSION = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}
STDIN = "-"
GLOB_CHARS = frozenset("*?[")


class InputError(ValueError):
    """An argument names nothing that can be checked, or a file cannot be read."""


@dataclass(frozen=True)
class Source:
    """One document to check: ``path`` is how reports name it (relative, with / separators)."""

    path: str
    format: str
    text: str


def format_for(name: str, forced: str | None = None) -> str:
    """The input format: ``forced`` if given, else by extension (unknown extensions are text)."""
    if forced is not None:
        if forced not in FORMATS:
            raise InputError(f"unknown input format {forced!r}; use one of {', '.join(FORMATS)}")
        return forced
    return FORMAT_BY_EXTENSION.get(Path(name).suffix.lower(), "text")


def display_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it is inside it, always with forward slashes.

    A link keeps its own name: resolved, it was reported as the file it points to (for a
    broken one, a file that does not exist), not as the path the argument or the folder gave.
    """
    absolute = Path(os.path.normpath(path if path.is_absolute() else cwd / path))
    # Lexically first; then with the folders resolved, for a path reaching cwd through a link.
    for inside, folder in ((absolute, cwd), (absolute.parent.resolve() / absolute.name, cwd.resolve())):
        try:
            shown = inside.relative_to(folder)
            break
        except ValueError:
            continue
    else:
        shown = absolute
    return PurePosixPath(*shown.parts).as_posix() if shown.parts else "."


def expand(
    arguments: Sequence[str],
    cwd: Path,
    exclude: Iterable[str] = (),
    exclude_base: Path | None = None,
    force_exclude: bool = False,
) -> list[Path | str]:
    """Files to check, in argument order (each directory and glob sorted), without repeats.

    ``-`` is kept as it is (standard input). A file is excluded when a pattern matches its
    name or its path relative to ``exclude_base`` (default ``cwd``): the config file's folder
    for the file's patterns, so the gate skips the same files wherever it runs. A file named
    as an argument is checked all the same, unless ``force_exclude``: pre-commit names every
    staged file, and the config's patterns must hold there too.
    """
    patterns = tuple(exclude)
    base = cwd / exclude_base if exclude_base is not None else cwd
    found: list[Path | str] = []
    seen: set[Path | str] = set()

    def add(item: Path | str) -> None:
        key = item if isinstance(item, str) else item.resolve()
        if key not in seen:
            seen.add(key)
            found.append(item)

    for argument in arguments:
        if argument == STDIN:
            add(STDIN)
            continue
        path = Path(argument)
        full = path if path.is_absolute() else cwd / path
        if full.is_file():
            if not (force_exclude and _excluded(full, base, patterns)):
                add(full)
        elif full.is_dir():
            matches = list(_walk(full, base, patterns))
            if not matches:
                raise InputError(f"{argument}: no {_extensions()} files in this folder")
            for match in matches:
                add(match)
        elif GLOB_CHARS & set(argument):
            matches = []
            for hit_path in _glob(path, cwd):
                if hit_path.is_dir():
                    matches.extend(_walk(hit_path, base, patterns))
                elif _wanted(hit_path, base, patterns):
                    matches.append(hit_path)
            if not matches:
                raise InputError(f"{argument}: the pattern matches no {_extensions()} files")
            for match in matches:
                add(match)
        else:
            raise InputError(f"{argument}: no such file or folder")
    return found


def _glob(pattern: Path, cwd: Path) -> list[Path]:
    """What ``pattern`` matches, sorted, without hidden names (unless the pattern names them).

    ``**`` does not follow links to folders, as the folder walk does not: ``glob.glob``'s
    does, and in a tree with two links to a parent folder it never ended (each link
    doubles the paths at every level, down to the 40 links a path may hold).
    """
    parts = pattern.parts
    first = next(n for n, part in enumerate(parts) if GLOB_CHARS & set(part))
    folder = cwd.joinpath(*parts[:first])  # the part without wildcards, taken as it is
    # glob.glob reads '**' inside a name ('**.md') as '*'; pathlib refuses it.
    wildcard = [part if part == "**" else re.sub(r"\*\*+", "*", part) for part in parts[first:]]
    hidden_wanted = any(part.startswith(".") for part in wildcard)
    hits = (
        hit
        for hit in folder.glob("/".join(wildcard))
        if hidden_wanted or not any(part.startswith(".") for part in hit.relative_to(folder).parts)
    )
    return sorted(hits, key=str)


def _extensions() -> str:
    return "/".join(sorted(FORMAT_BY_EXTENSION))


def _excluded(path: Path, base: Path, patterns: tuple[str, ...]) -> bool:
    shown = display_path(path, base)
    return any(
        fnmatch.fnmatch(shown, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or shown.startswith(pattern.rstrip("/") + "/")
        for pattern in patterns
    )


def _wanted(path: Path, base: Path, patterns: tuple[str, ...]) -> bool:
    return (
        path.suffix.lower() in FORMAT_BY_EXTENSION
        and not path.name.startswith(".")
        and not _excluded(path, base, patterns)
    )


def _walk(folder: Path, base: Path, patterns: tuple[str, ...]) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(root_path / d, base, patterns))
        for name in sorted(files):
            candidate = root_path / name
            if _wanted(candidate, base, patterns):
                yield candidate


def read_source(
    item: Path | str, cwd: Path, forced_format: str | None, stdin_data: bytes | None, stdin_name: str | None
) -> Source:
    """Read one expanded input into a :class:`Source`; ``stdin_data`` is what ``-`` read."""
    if item == STDIN:
        name = stdin_name or "stdin"
        return Source(path=name, format=format_for(name, forced_format), text=_decode(stdin_data or b"", name))
    assert isinstance(item, Path)
    shown = display_path(item, cwd)
    try:
        data = item.read_bytes()
    except OSError as exc:
        raise InputError(f"{shown}: cannot be read: {exc.strerror}") from exc
    return Source(path=shown, format=format_for(item.name, forced_format), text=_decode(data, shown))


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
