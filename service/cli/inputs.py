"""Which files a run checks, how each is read, and in which format.

Arguments may be files, directories (walked recursively) and globs (``docs/**/*.md``), or
``-`` for standard input. A file named on the command line is checked whatever its
extension; directories and globs pick only the extensions below, skip hidden files and
folders, and skip whatever matches an ``exclude`` pattern. Nothing matching is an error,
never a silent pass; so is a folder that cannot be listed (permission denied): it is named
with the files that cannot be read (:class:`Unreadable`), never left out in silence.

Files, and standard input, are read as bytes and decoded as UTF-8 (a byte-order mark is
dropped, as editors do) with their line endings untouched, so offsets in a report are code
points of the file as it is, and stdin is not left to the locale's decoding.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
import re
import stat
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from ..markup import FORMATS, holds_mdx
from .lines import printable

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
    ".rst": "rst",
    ".rest": "rst",
    ".mdx": "mdx",
    # Quarto and R Markdown: Pandoc's Markdown with code chunks ("```{r}"), which CommonMark
    # reads as fences; their attributes and spans are markup (``markup.templates``).
    ".qmd": "markdown",
    ".rmd": "markdown",
}
# Prose formats a docs tree holds that copydesk does not read (AsciiDoc, Org, LaTeX, Textile,
# and the Markdown cells of Jupyter's notebooks): a folder or a pattern leaves their files out,
# and the run counts them, so a tree of .md and .adoc files is not taken for checked in full.
NOT_READ = frozenset({".adoc", ".asciidoc", ".org", ".tex", ".textile", ".ipynb"})
STDIN = "-"
NONE: Mapping[str, str] = MappingProxyType({})  # no extensions of the run's own
GLOB_CHARS = frozenset("*?[")


class InputError(ValueError):
    """An argument names nothing that can be checked, or a file cannot be read. The message is
    one line: a line break in a file name is written as an escape (:mod:`service.cli.lines`)."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


@dataclass(frozen=True)
class Source:
    """One document to check: ``path`` is how reports name it (relative, with / separators)."""

    path: str
    format: str
    text: str


@dataclass(frozen=True)
class Unreadable:
    """A path found while expanding the arguments that cannot be looked into: a folder that
    cannot be listed, or a named file whose folder cannot be searched. :func:`read_source`
    reports it as it reports a file that cannot be read, so the run names every one of them."""

    path: Path
    reason: str


def format_for(name: str, forced: str | None = None, text: str = "", extensions: Mapping[str, str] = NONE) -> str:
    """The input format: ``forced`` if given, else by extension, the run's own ``extensions``
    (``--extension``) first (unknown extensions are text). A file that only the built-in table
    says is Markdown is MDX when its top level imports a component (``holds_mdx``), as
    Docusaurus reads its .md pages; an extension the run maps is read as it says."""
    if forced is not None:
        if forced not in FORMATS:
            raise InputError(f"unknown input format {forced!r}; use one of {', '.join(FORMATS)}")
        return forced
    suffix = Path(name).suffix.lower()
    if suffix in extensions:
        return extensions[suffix]
    found = FORMAT_BY_EXTENSION.get(suffix, "text")
    return "mdx" if found == "markdown" and holds_mdx(text) else found


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
    return printable_name(PurePosixPath(*shown.parts).as_posix() if shown.parts else ".")


def printable_name(name: str) -> str:
    """A file name as every output can write it: the bytes of one that is not UTF-8 (Python
    holds them as lone surrogates) as U+FFFD, since JSON, SARIF and XML must be UTF-8."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no undecodable byte stands for
        raw = name.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def expand(
    arguments: Sequence[str],
    cwd: Path,
    exclude: Iterable[str] = (),
    exclude_base: Path | None = None,
    force_exclude: bool = False,
    not_read: set[Path] | None = None,
    extensions: Mapping[str, str] = NONE,
) -> list[Path | str | Unreadable]:
    """Files to check, in argument order (each directory and glob sorted), without repeats.

    ``-`` is kept as it is (standard input). A file is excluded when a pattern matches its
    name or its path relative to ``exclude_base`` (default ``cwd``): the config file's folder
    for the file's patterns, so the gate skips the same files wherever it runs. A file named
    as an argument is checked all the same, unless ``force_exclude``: pre-commit names every
    staged file, and the config's patterns must hold there too. ``not_read`` gathers the files
    of a format copydesk does not read (:data:`NOT_READ`) that a folder or a pattern left out.
    Folders and patterns take the extensions copydesk reads and the run's own ``extensions``.
    """
    not_read = set() if not_read is None else not_read
    readable = {**FORMAT_BY_EXTENSION, **extensions}
    patterns = tuple(_as_path_pattern(pattern) for pattern in exclude)
    base = cwd / exclude_base if exclude_base is not None else cwd
    found: list[Path | str | Unreadable] = []
    seen: set[object] = set()

    def add(item: Path | str | Unreadable) -> None:
        key = item if isinstance(item, str | Unreadable) else item.resolve()
        if key not in seen:
            seen.add(key)
            found.append(item)

    for argument in arguments:
        if argument == STDIN:
            add(STDIN)
            continue
        path = Path(argument)
        full = path if path.is_absolute() else cwd / path
        try:
            mode: int | None = full.stat().st_mode
        except OSError as exc:
            mode = None
            # Not there is said below; anything else (a folder on the way that cannot be
            # searched) was a traceback and exit 1, which reads as copy below the bar.
            if exc.errno not in _MISSING and not GLOB_CHARS & set(argument):
                if not (force_exclude and _excluded(full, base, patterns)):
                    add(Unreadable(full, f"cannot be read: {exc.strerror}"))
                continue
        if mode is not None and stat.S_ISDIR(mode):
            left_out: set[Path] = set()
            matches = list(_walk(full, base, patterns, left_out, readable))
            not_read.update(left_out)
            if not matches:
                raise InputError(f"{argument}: no {_extensions(readable)} files in this folder{_holding(left_out)}")
            for match in matches:
                add(match)
        elif mode is not None:  # a file, or what read_source refuses to read (a named pipe, a device)
            if not (force_exclude and _excluded(full, base, patterns)):
                add(full)
        elif GLOB_CHARS & set(argument):
            left_out = set()
            matches = _glob(path, cwd, base, patterns, left_out, readable)
            not_read.update(left_out)
            if not matches:
                kinds = _extensions(readable)
                raise InputError(f"{argument}: the pattern matches no {kinds} files{_holding(left_out)}")
            for match in matches:
                add(match)
        else:
            raise InputError(f"{argument}: no such file or folder")
    not_read.difference_update(key for key in seen if isinstance(key, Path))  # named, so read as text
    return found


# stat errors that mean "no such file" (as pathlib's is_file reads them); others are reported.
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP, errno.ENAMETOOLONG})


def _glob(
    pattern: Path, cwd: Path, base: Path, patterns: tuple[str, ...], not_read: set[Path], readable: Container[str]
) -> list[Path | Unreadable]:
    """The files ``pattern`` picks, sorted, and the folders it could not list on the way.

    Hidden names are left out unless the pattern names one, and so are excluded folders, as
    in a folder walk. ``**`` does not follow links to folders, as the folder walk does not:
    ``glob.glob``'s does, and in a tree with two links to a parent folder it never ended
    (each link doubles the paths at every level, down to the 40 links a path may hold).
    ``pathlib``'s glob would do, but it passes over a folder it cannot list in silence.
    """
    parts = pattern.parts
    first = next(n for n, part in enumerate(parts) if GLOB_CHARS & set(part))
    folder = cwd.joinpath(*parts[:first])  # the part without wildcards, taken as it is
    # glob.glob reads '**' inside a name ('**.md') as '*'; pathlib refuses it.
    wildcard = [part if part == "**" else re.sub(r"\*\*+", "*", part) for part in parts[first:]]
    hidden_wanted = any(part.startswith(".") for part in wildcard)
    hits: dict[Path, bool] = {}  # path -> is a folder
    unlisted: list[Unreadable] = []
    listed: dict[Path, list[os.DirEntry[str]]] = {}  # '**' visits a folder once for each part after it

    def entries(at: Path) -> list[os.DirEntry[str]]:
        if at not in listed:
            try:
                with os.scandir(at) as listing:
                    listed[at] = sorted(listing, key=lambda entry: entry.name)
            except OSError as exc:
                if exc.errno not in _MISSING:
                    unlisted.append(Unreadable(at, f"cannot be listed: {exc.strerror}"))
                listed[at] = []
        return listed[at]

    def wanted(at: Path, entry: os.DirEntry[str], folders_only: bool, follow: bool = True) -> bool:
        if not hidden_wanted and entry.name.startswith("."):
            return False
        try:
            is_folder = entry.is_dir(follow_symlinks=follow)
        except OSError:  # a file whose kind is not known is read, and then says why it cannot be
            is_folder = False
        if folders_only and not is_folder:
            return False
        return not (is_folder and _excluded(at / entry.name, base, patterns))

    def visit(at: Path, rest: list[str]) -> None:
        if not rest:
            hits[at] = os.path.isdir(at)
            return
        head, tail = rest[0], rest[1:]
        if head == "**":  # this folder, and every folder below it (not through links)
            visit(at, tail)
            for entry in entries(at):
                if wanted(at, entry, folders_only=True, follow=False):
                    visit(at / entry.name, rest)
        elif GLOB_CHARS & set(head):
            for entry in entries(at):
                if fnmatch.fnmatchcase(entry.name, head) and wanted(at, entry, folders_only=bool(tail)):
                    visit(at / entry.name, tail)
        elif tail:  # a folder's name as it is: one that is not there lists as nothing
            visit(at / head, tail)
        else:
            try:
                os.stat(at / head)
            except OSError as exc:
                if exc.errno not in _MISSING:
                    unlisted.append(Unreadable(at / head, f"cannot be read: {exc.strerror}"))
                return
            visit(at / head, tail)

    visit(folder, wildcard)
    found: list[Path | Unreadable] = []
    for hit in sorted(hits, key=str):
        if hits[hit]:
            found.extend(_walk(hit, base, patterns, not_read, readable))
        elif _wanted(hit, base, patterns, readable):
            found.append(hit)
        elif _wanted(hit, base, patterns, NOT_READ):
            not_read.add(hit.resolve())
    return found + unlisted


def _extensions(readable: Iterable[str]) -> str:
    return "/".join(sorted(readable))


def _as_path_pattern(pattern: str) -> str:
    """``pattern`` written as :func:`display_path` writes paths, which it is matched against:
    "./docs/skip/" and "docs/./skip" are "docs/skip" (as written, they matched nothing)."""
    return posixpath.normpath(pattern) if pattern else pattern


def _excluded(path: Path, base: Path, patterns: tuple[str, ...]) -> bool:
    shown = display_path(path, base)
    return any(
        fnmatch.fnmatch(shown, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or shown.startswith(pattern.rstrip("/") + "/")
        for pattern in patterns
    )


def _wanted(path: Path, base: Path, patterns: tuple[str, ...], extensions: Container[str]) -> bool:
    """Whether a folder or a pattern takes ``path``: one of ``extensions`` (those the run reads;
    :data:`NOT_READ` for the ones it counts as left out), not hidden, not excluded."""
    return (
        path.suffix.lower() in extensions
        and not path.name.startswith(".")
        and not _excluded(path, base, patterns)
    )


def _holding(not_read: set[Path]) -> str:
    """What a folder or a pattern held that copydesk does not read, for the error that it held nothing to check."""
    return f" (it holds {describe_not_read(by_extension(not_read))}, which copydesk does not read)" if not_read else ""


def by_extension(paths: Iterable[Path]) -> dict[str, int]:
    """How many of ``paths`` have each extension (in lower case), by extension."""
    return dict(sorted(Counter(path.suffix.lower() for path in paths).items()))


def describe_not_read(not_read: Mapping[str, int]) -> str:
    """``{".mdx": 1, ".rst": 12}`` as "1 .mdx file and 12 .rst files"."""
    parts = [f"{count} {extension} file{'s' if count != 1 else ''}" for extension, count in sorted(not_read.items())]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _walk(
    folder: Path, base: Path, patterns: tuple[str, ...], not_read: set[Path], readable: Container[str]
) -> Iterable[Path | Unreadable]:
    """The files under ``folder`` with a ``readable`` extension, and each folder in it that
    cannot be listed; adds to ``not_read`` the files of formats copydesk does not read."""
    unlisted: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unlisted.append):
        yield from _unlisted(unlisted)
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(root_path / d, base, patterns))
        for name in sorted(files):
            candidate = root_path / name
            if _wanted(candidate, base, patterns, readable):
                yield candidate
            elif _wanted(candidate, base, patterns, NOT_READ):
                not_read.add(candidate.resolve())
    yield from _unlisted(unlisted)


def _unlisted(errors: list[OSError]) -> Iterable[Unreadable]:
    while errors:
        exc = errors.pop(0)
        yield Unreadable(Path(str(exc.filename)), f"cannot be listed: {exc.strerror}")


def read_source(
    item: Path | str | Unreadable,
    cwd: Path,
    forced_format: str | None,
    stdin_data: bytes | None,
    stdin_name: str | None,
    extensions: Mapping[str, str] = NONE,
) -> Source:
    """Read one expanded input into a :class:`Source`; ``stdin_data`` is what ``-`` read,
    ``extensions`` the run's own formats by extension (``format_for``)."""
    if item == STDIN:
        name = printable_name(stdin_name or "stdin")
        text = _decode(stdin_data or b"", name)
        return Source(path=name, format=format_for(name, forced_format, text, extensions), text=text)
    if isinstance(item, Unreadable):
        raise InputError(f"{display_path(item.path, cwd)}: {item.reason}")
    assert isinstance(item, Path)
    shown = display_path(item, cwd)
    try:
        data = _read_regular_file(item)
    except NotRegular as exc:
        raise InputError(f"{shown}: {exc}, not a regular file (exclude it, or send its text to '-')") from exc
    except OSError as exc:
        raise InputError(f"{shown}: cannot be read: {exc.strerror}") from exc
    text = _decode(data, shown)
    return Source(path=shown, format=format_for(item.name, forced_format, text, extensions), text=text)


class NotRegular(Exception):
    """A path is not a regular file; the message says what it is."""


_NOT_REGULAR = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
                stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}  # fmt: skip


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; anything else is refused, never read. Opening a named pipe
    waits for a writer, and the gate hung for good on one in a docs folder; a device may never
    end. The kind is looked at before the open, and again on the open file: opened without
    blocking, a pipe put in the file's place in between cannot hold the gate either."""
    _require_regular(os.stat(path).st_mode)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as handle:
        _require_regular(os.fstat(descriptor).st_mode)
        return handle.read()


def _require_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotRegular(_NOT_REGULAR.get(stat.S_IFMT(mode), "a special file"))


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
