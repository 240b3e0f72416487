"""Caches for work copydesk has done before: whole reports and LanguageTool's answers per paragraph.

Editors re-check the article they are editing, CI gates re-check trees where most files did
not change: the same request, or the same paragraph, comes back again and again. Both
caches are a :class:`Store` of bytes under a key that :func:`fingerprint` makes from
everything the cached answer depends on, so a changed paragraph, option, rule pack, model
or LanguageTool version is a different key and is never served stale.

:class:`MemoryStore` keeps entries in the process, least recently used first out, within a
byte budget. :class:`RedisStore` keeps them in a Redis server that replicas share
(``COPYDESK_CACHE_URL``); a cache is an optimisation, so when Redis fails or is slow the
store answers "not cached" and the report is computed, never an error.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import redis

log = logging.getLogger(__name__)

# Redis on the same network answers in well under a millisecond; one that takes longer than
# this is treated as down, and left alone for REDIS_RETRY_AFTER seconds.
REDIS_TIMEOUT = 0.25
REDIS_RETRY_AFTER = 10.0
# Keys read (MGET) or written (a pipeline) in one round trip to Redis.
REDIS_BATCH = 256


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """``get`` of each key, in order: for Redis, in as few round trips as it takes."""
        ...

    def put_many(self, entries: Sequence[tuple[str, bytes]]) -> None: ...

    def takes(self, size: int) -> bool:
        """Whether an entry of ``size`` bytes would be kept (one too large never is)."""
        ...


class MemoryStore:
    """An in-process LRU of byte strings, bounded by their total size; thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: bytes) -> None:
        cost = len(value) + len(key)
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old) + len(key)
            self._entries[key] = value
            self._size += cost
            while self._size > self.max_bytes:
                evicted_key, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted) + len(evicted_key)

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return [self.get(key) for key in keys]

    def put_many(self, entries: Sequence[tuple[str, bytes]]) -> None:
        for key, value in entries:
            self.put(key, value)

    def takes(self, size: int) -> bool:
        return size <= self.max_bytes

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._size


class RedisStore:
    """A :class:`Store` in Redis, shared by every worker and replica that names the same server.

    Keys are namespaced (``copydesk:<kind>:<build>:<key>``, see :func:`build_digest`) and
    expire after ``ttl`` seconds; the server's own ``maxmemory-policy`` (``allkeys-lru`` is
    the one to use) bounds its size.
    After an error the store answers misses without asking Redis for ``REDIS_RETRY_AFTER``
    seconds, so a server that is gone costs one timeout, not one per request. It keeps no entry
    over ``max_entry_bytes`` (COPYDESK_CACHE_MAX_ENTRY_BYTES): reading one back must stay well
    inside REDIS_TIMEOUT. An 80 MB report (a book of unknown words) took longer even from a Redis
    on the same host, and the timeout turned the shared cache off at every repeat of its request.
    """

    def __init__(self, url: str, kind: str, ttl: int, max_entry_bytes: int, build: str | None = None) -> None:
        self.prefix = f"copydesk:{kind}:{build or build_digest()[:16]}:"
        self.ttl = ttl
        self.max_entry_bytes = max_entry_bytes
        self._client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
        self._down_until = 0.0

    def get(self, key: str) -> bytes | None:
        if time.monotonic() < self._down_until:
            return None
        try:
            return self._client.get(self.prefix + key)  # type: ignore[return-value]
        except redis.RedisError as exc:
            self._failed(exc)
            return None

    def put(self, key: str, value: bytes) -> None:
        if time.monotonic() < self._down_until or not self.takes(len(value)):
            return
        try:
            self._client.set(self.prefix + key, value, ex=self.ttl)
        except redis.RedisError as exc:
            self._failed(exc)

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """One MGET per REDIS_BATCH keys, not a round trip per key: a text of thousands of
        paragraphs would wait on as many, each as long as the network between them."""
        found: list[bytes | None] = []
        for start in range(0, len(keys), REDIS_BATCH):
            batch = keys[start : start + REDIS_BATCH]
            if time.monotonic() < self._down_until:
                return found + [None] * (len(keys) - len(found))
            try:
                found += self._client.mget([self.prefix + key for key in batch])  # type: ignore[operator]
            except redis.RedisError as exc:
                self._failed(exc)
                found += [None] * len(batch)
        return found

    def put_many(self, entries: Sequence[tuple[str, bytes]]) -> None:
        """The entries it takes, REDIS_BATCH to a round trip (a pipeline, not a transaction)."""
        kept = [(key, value) for key, value in entries if self.takes(len(value))]
        for start in range(0, len(kept), REDIS_BATCH):
            if time.monotonic() < self._down_until:
                return
            pipeline = self._client.pipeline(transaction=False)
            for key, value in kept[start : start + REDIS_BATCH]:
                pipeline.set(self.prefix + key, value, ex=self.ttl)
            try:
                pipeline.execute()
            except redis.RedisError as exc:
                self._failed(exc)

    def takes(self, size: int) -> bool:
        return size <= self.max_entry_bytes

    def _failed(self, exc: redis.RedisError) -> None:
        self._down_until = time.monotonic() + REDIS_RETRY_AFTER
        log.warning("shared cache unavailable, working without it for %.0f s: %s", REDIS_RETRY_AFTER, exc)


@functools.cache
def build_digest(package: Path = Path(__file__).parent) -> str:
    """SHA-256 of this build: the package's own files (code, rule packs, model) and the versions
    of the libraries installed beside it. Shared keys carry it, so replicas of two builds that
    share a Redis (a rolling upgrade, a fix deployed without a new version number) never answer
    with each other's reports."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package).as_posix()}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    libraries = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions())
    digest.update("\n".join(libraries).encode())
    return digest.hexdigest()


def fingerprint(*parts: Any) -> str:
    """A key for ``parts``: SHA-256 of their canonical JSON (dataclasses as their fields, sets
    sorted), so equal inputs give equal keys in every process and on every replica."""
    encoded = json.dumps(parts, default=_canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    if isinstance(value, bytes):
        return value.hex()
    return repr(value)
