"""API keys: who may call the API, and separately who may read /metrics.

Keys come from a file (``COPYDESK_API_KEYS_FILE``, ``COPYDESK_METRICS_KEYS_FILE``), one per
line, each the key itself or ``sha256:<hex>`` of it, so a Secret need not hold the keys in
clear. Only SHA-256 digests are kept; a presented key is hashed and compared with every one
of them with ``hmac.compare_digest`` (equal-length digests, no early exit), so neither the
key's length nor its resemblance to a real one shows in the time of the answer. Keys are
never logged: the request log says nothing of headers.

Sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>`` (``apiKey`` on ``/v2/check``,
as LanguageTool's clients send it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from flask import request

from ..settings import SettingsError

_HEX_DIGEST = re.compile(r"sha256:([0-9a-fA-F]{64})")


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

    def match(self, key: str) -> int | None:
        """Which of the ring's keys ``key`` is (its rank in the file, from 1), else None;
        compares with all of them. The rank, not the key or its digest, is what names the
        client to the rate limiter, whose storage and log may be read by others."""
        presented = digest(key)
        found = None
        for rank, known in enumerate(self.digests, 1):
            if hmac.compare_digest(known, presented):
                found = rank
        return found


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
    which would consume it (multipart bodies aside, which the endpoint reads as a form too)."""
    if name in request.args:
        return request.args[name] or None
    if request.method != "POST":
        return None
    if request.mimetype == "multipart/form-data":
        return request.form.get(name) or None
    body = request.get_data().decode("utf-8", "replace")
    for key, value in urllib.parse.parse_qsl(body, keep_blank_values=True):
        if key == name:
            return value or None
    return None
