"""Where a ``copydesk check`` run takes its policy from: defaults, a config file, the environment, flags.

A repository keeps its gate in ``.copydesk.toml`` (or ``[tool.copydesk]`` in ``pyproject.toml``)
so that CI, pre-commit and a writer's terminal apply the same bar. The file is found by
walking up from the current directory; ``--config`` names one. Keys are the long option
names (``min-score`` or ``min_score``). Unknown keys and wrong types are refused, never
ignored, because a typo in a gate's config must not quietly weaken it.

Precedence, highest first: command line, environment (``COPYDESK_URL``), config file, defaults.

The service's API key is not policy and never in a config file (it is committed): it comes
from ``--api-key-file`` or ``COPYDESK_API_KEY`` (:func:`load_api_key`).
"""

from __future__ import annotations

import re
import tomllib
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..findings import SEVERITIES
from ..score_request import RequestError, parse_checks, parse_format
from ..settings import finite_number, is_http_url

CONFIG_FILE = ".copydesk.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON_CHOICES = (*SEVERITIES, "none")
DEFAULT_FAIL_ON = "error"
DEFAULT_JOBS = 4
DEFAULT_TIMEOUT = 120.0
API_KEY_VARIABLE = "COPYDESK_API_KEY"
API_PATHS = ("/v1", "/v2")  # the service's APIs: a URL ending in one stands for the service


class ConfigError(ValueError):
    """The configuration cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Options:
    """Everything that decides what is checked and what fails; see ``docs/cli.md``."""

    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # The folder relative ``exclude`` patterns are relative to: the config file's, when the
    # patterns come from it; None for the current folder (patterns from the command line).
    exclude_base: Path | None = None
    url: str | None = None
    min_score: float | None = None
    fail_on: str = DEFAULT_FAIL_ON
    checks: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()  # words the spelling check accepts (a house dictionary)
    language: str | None = None
    format_in: str | None = None
    # Formats by extension that the run adds to or sets over the built-in ones: ((".qmd", "markdown"), ...).
    extension: tuple[tuple[str, str], ...] = ()
    jobs: int = DEFAULT_JOBS
    timeout: float = DEFAULT_TIMEOUT
    # Where the values in this object came from (the config file's path, if any).
    config_file: Path | None = field(default=None, compare=False)

    def merged(self, overrides: Mapping[str, Any]) -> Options:
        """These options with ``overrides`` (already validated) applied on top."""
        return replace(self, **dict(overrides))


# Keys a config file may set, with their kinds. (config_file and exclude_base are bookkeeping, not keys.)
_KINDS: dict[str, str] = {
    "paths": "paths",
    "exclude": "strings",
    "url": "url",
    "min_score": "score",
    "fail_on": "fail_on",
    "checks": "checks",
    "enable": "strings",
    "disable": "strings",
    "accept": "strings",
    "language": "string",
    "format_in": "format_in",
    "extension": "extension",
    "jobs": "jobs",
    "timeout": "timeout",
}
assert set(_KINDS) == {f.name for f in fields(Options)} - {"config_file", "exclude_base"}


@dataclass(frozen=True)
class ApiKey:
    """The key sent to the service, and where it came from (for messages; the key is never shown)."""

    value: str = field(repr=False)
    source: str


def load_api_key(key_file: Path | None, environ: Mapping[str, str]) -> ApiKey | None:
    """The key from ``key_file`` (``--api-key-file``), else from ``COPYDESK_API_KEY``; None
    without either. An empty variable counts as unset: CI leaves a secret empty where it is
    not given (a pull request from a fork), and the service's 401 then says a key is missing.

    There is no option with the key itself: ``ps`` and CI logs show a command's arguments.
    """
    if key_file is not None:
        source = f"--api-key-file {key_file}"
        try:
            text = key_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from exc
    else:
        source, text = API_KEY_VARIABLE, environ.get(API_KEY_VARIABLE, "")
        if not text.strip():
            return None
    key = text.strip()
    # One token of visible ASCII: what an HTTP header can carry, and never a keys file's list.
    if not key or not all("!" <= char <= "~" for char in key):
        raise ConfigError(f"{source}: must hold one API key (visible ASCII, no spaces or line breaks)")
    return ApiKey(key, source)


def parse_url(value: str) -> str:
    """A service's URL, http or https with a host. Anything else ('localhost:8000' without its
    scheme) failed only at the first file, as a service that cannot be reached (exit 3), where
    it is a configuration error (exit 2).

    The URL of the API (``http://host/v1``, or ``/v2`` as LanguageTool clients are given it)
    stands for the service: it was sent to ``/v1/v1/score``, a 404 and exit 3 as from a service
    that is down. Any other path is kept (a proxy's, say).
    """
    url = value.strip()
    parts = urllib.parse.urlsplit(url) if is_http_url(url) else None
    if parts is None or parts.query or parts.fragment:
        raise ConfigError(f"{value!r} is not a service URL such as http://localhost:8000 (http or https, a host)")
    path = parts.path.rstrip("/")
    if path.endswith(API_PATHS):
        return urllib.parse.urlunsplit(parts._replace(path=path.rsplit("/", 1)[0]))
    return url


# One file extension, with or without its dot: "qmd", ".Rmd" (a name's last suffix, so no dot inside).
_EXTENSION = re.compile(r"\.?[^./\\\s]+")


def parse_extensions(pairs: Iterable[tuple[Any, Any]]) -> tuple[tuple[str, str], ...]:
    """``(extension, format)`` pairs, as ``(".qmd", "markdown")``: the config file's table
    (``extension = { qmd = "markdown" }``) or ``--extension qmd=markdown``. An extension is
    matched in any case, as the built-in ones are."""
    found: dict[str, str] = {}
    for extension, fmt in pairs:
        if not isinstance(extension, str) or not _EXTENSION.fullmatch(extension):
            raise ConfigError(f"{extension!r} is not a file extension such as 'qmd' or '.qmd'")
        try:
            found["." + extension.lstrip(".").lower()] = parse_format(fmt)
        except RequestError as exc:
            raise ConfigError(f"{extension}: {exc.errors[0].message}") from exc
    return tuple(found.items())


def find_config(start: Path) -> Path | None:
    """The nearest ``.copydesk.toml``, or ``pyproject.toml`` with a ``[tool.copydesk]`` table,
    in ``start`` or above it."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and "copydesk" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: Path) -> Options:
    """Options from a config file (relative ``paths`` and ``exclude`` resolve against its folder)."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("copydesk")
        if table is None:
            raise ConfigError(f"{path}: no [tool.copydesk] table")
        where = f"{path} [tool.copydesk]"
    else:
        table, where = data, str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    values = parse_values(table, where, base=path.parent)
    if "exclude" in values:
        values["exclude_base"] = path.parent
    return Options(config_file=path).merged(values)


def parse_values(raw: Mapping[str, Any], where: str, base: Path | None = None) -> dict[str, Any]:
    """Validate ``raw`` (config keys in kebab or snake case) into ``Options`` field values."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    spelled: dict[str, str] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name in spelled:  # 'min-score' and 'min_score': the last one quietly won
            errors.append(f"{spelled[name]!r} and {key!r} are one key: keep one of them")
            continue
        spelled[name] = key
        kind = _KINDS.get(name)
        if kind is None:
            errors.append(f"unknown key {key!r} (known: {', '.join(k.replace('_', '-') for k in _KINDS)})")
            continue
        try:
            values[name] = _convert(kind, value, base)
        except ConfigError as exc:
            errors.append(f"{key}: {exc}")
    if errors:
        raise ConfigError(f"{where}: " + "; ".join(errors))
    return values


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError("must be a list of non-empty strings")
    return tuple(value)


def _convert(kind: str, value: Any, base: Path | None) -> Any:
    if kind == "strings":
        return _strings(value)
    if kind == "paths":
        paths = _strings(value)
        return tuple(str(base / p) if base is not None and not Path(p).is_absolute() else p for p in paths)
    if kind == "string":
        if not isinstance(value, str) or not value:
            raise ConfigError("must be a non-empty string")
        return value
    if kind == "url":
        if not isinstance(value, str):
            raise ConfigError("must be a string")
        return parse_url(value)
    if kind == "checks":
        try:
            return parse_checks(list(dict.fromkeys(_strings(value))))
        except RequestError as exc:
            raise ConfigError(exc.errors[0].message) from exc
    if kind == "fail_on":
        if value not in FAIL_ON_CHOICES:
            raise ConfigError(f"must be one of {', '.join(FAIL_ON_CHOICES)}")
        return value
    if kind == "extension":
        if not isinstance(value, dict):
            raise ConfigError('must be a table of extensions and formats: { qmd = "markdown" }')
        return parse_extensions(value.items())
    if kind == "format_in":
        try:
            return parse_format(value)
        except RequestError as exc:
            raise ConfigError(exc.errors[0].message) from exc
    if kind == "score":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ConfigError("must be a number from 0 to 100")
        return float(value)
    if kind == "jobs":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 64:
            raise ConfigError("must be a whole number from 1 to 64")
        return value
    if kind == "timeout":
        if not finite_number(value) or value <= 0:
            raise ConfigError("must be a positive number of seconds")
        return float(value)
    raise AssertionError(kind)  # pragma: no cover
