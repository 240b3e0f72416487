"""API keys: who may call the API, and separately who may read /metrics.

Keys come from a file (``COPYDESK_API_KEYS_FILE``, ``COPYDESK_METRICS_KEYS_FILE``), one per
line, each the key itself or ``sha256:<hex>`` of it, so a Secret need not hold the keys in
clear. Only SHA-256 digests are kept; a presented key is hashed and compared with every one
of them with ``hmac.compare_digest`` (equal-length digests, no early exit), so neither the
key's length nor its resemblance to a real one shows in the time of the answer. Keys are
never logged: the request log says nothing of headers.

Sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>`` (``apiKey`` on ``/v2/check``,
as LanguageTool's clients send it).

A keys file is read again when it changes (:class:`KeysFile`), so a key is added or revoked
without a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from flask import request

from ..settings import SettingsError

_HEX_DIGEST = re.compile(r"sha256:([0-9a-fA-F]{64})")
# How often a keys file is looked at again (one stat): a key added or revoked works, or stops
# working, within this many seconds of the file's change.
RELOAD_SECONDS = 5.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyRing:
    digests: tuple[bytes, ...]

    @classmethod
    def load(cls, path: Path, variable: str) -> KeyRing:
        """The keys in ``path``; a file that cannot be read or holds no key stops the start,
        naming ``variable`` (an empty file must not leave the API open, or shut it)."""
        try:
            # utf-8-sig: a byte order mark (Windows editors write one) is not part of the first key.
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{variable}: cannot read the keys file {path}: {exc.strerror or exc}") from exc
        digests = []
        for number, line in enumerate(lines, 1):
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            if entry.startswith("sha256:"):
                match = _HEX_DIGEST.fullmatch(entry)
                if match is None:
                    raise SettingsError(f"{variable}: line {number} of {path} is not sha256: and 64 hex digits")
                digests.append(bytes.fromhex(match.group(1)))
            else:
                digests.append(digest(entry))
        if not digests:
            raise SettingsError(f"{variable}: {path} holds no key")
        return cls(tuple(digests))

    def match(self, key: str) -> str | None:
        """The name of the ring's key that ``key`` is, else None; compares with all of them. The
        name is what tells clients apart to the rate limiter, whose storage and log may be read
        by others: 48 bits of a digest of the key's digest, the same in every process and after
        every edit of the file (a rank in the file gave a revoked key's count to the next key)."""
        presented = digest(key)
        found = None
        for known in self.digests:
            if hmac.compare_digest(known, presented):
                found = hashlib.sha256(b"copydesk client\0" + known).hexdigest()[:12]
        return found


class KeysFile:
    """A keys file, read again when it changes. Operators rotate keys without a restart: a
    Kubernetes Secret mounted as a folder is updated in place by the kubelet, and an edited
    file is seen within ``RELOAD_SECONDS``. A file that can no longer be used (unreadable, no
    key, a bad line: a half-written edit) keeps the keys read before, and says why in the log:
    it must neither lock every client out nor open the API."""

    def __init__(self, path: Path, variable: str) -> None:
        self.path = path
        self.variable = variable
        self._stamp = self._look()
        self.ring = KeyRing.load(path, variable)  # at start-up a bad file stops the start
        self._looked = time.monotonic()
        self._lock = threading.Lock()

    def current(self) -> KeyRing:
        """The keys now: the file is looked at again at most every ``RELOAD_SECONDS``, by one
        request while the others go on with the keys they have."""
        if time.monotonic() - self._looked >= RELOAD_SECONDS and self._lock.acquire(blocking=False):
            try:
                self._looked = time.monotonic()
                stamp = self._look()
                if stamp != self._stamp:
                    self._stamp = stamp
                    try:
                        self.ring = KeyRing.load(self.path, self.variable)
                        log.info("%s: read %s again, %s", self.variable, self.path, _count(self.ring))
                    except SettingsError as exc:
                        log.error("%s; keeping the %s read before", exc, _count(self.ring))
            finally:
                self._lock.release()
        return self.ring

    def _look(self) -> tuple[int, int, int] | None:
        """What tells a changed file: a Secret's update puts a new file behind the path (another
        inode), an edit changes the time or the size."""
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_ino, found.st_mtime_ns, found.st_size


def _count(ring: KeyRing) -> str:
    return "1 key" if len(ring.digests) == 1 else f"{len(ring.digests)} keys"


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def presented_key(parameter: str | None = None) -> str | None:
    """The key the request carries: a Bearer token, else ``X-API-Key``, else the request
    parameter ``parameter`` (query or form); None when it carries none."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    header = request.headers.get("X-API-Key", "").strip()
    if header:
        return header
    if parameter:
        return _parameter(parameter)
    return None


def _parameter(name: str) -> str | None:
    """A request parameter read as LanguageTool reads them (``service.lt_api``): the query
    string wins over a POST body, which is form-encoded whatever its Content-Type says. The body
    is read with ``get_data``, which keeps it for the endpoint, never with ``request.form``,
    which would consume it (multipart bodies aside, which the endpoint reads as a form too). A
    parameter sent twice has its last value, as everywhere on ``/v2``."""
    if name in request.args:
        return request.args.getlist(name)[-1] or None
    if request.method != "POST":
        return None
    if request.mimetype == "multipart/form-data":
        return (request.form.getlist(name) or [""])[-1] or None
    body = request.get_data().decode("utf-8", "replace")
    values = [value for key, value in urllib.parse.parse_qsl(body, keep_blank_values=True) if key == name]
    return (values or [""])[-1] or None
