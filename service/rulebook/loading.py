"""Packs from YAML to rules: read, validate against ``pack.schema.json``, build, cross-check.

Validation has two halves. What a JSON Schema can say (fields, types, the closed sets of
kinds, severities, scopes, units and structure functions) is in ``pack.schema.json``,
shipped with the package and enforced with ``jsonschema`` (editors can use the same file).
What it cannot say stays as code: the regex safety check and the [span] and group-reference
checks (in the kind classes), an id carrying its pack's name, ids unique across the book,
and ``supersedes`` selecting rules that exist. Every refusal is a :class:`RulePackError`
``"<file>: rule <id>: <field>: <problem>"``; nothing is loaded half-way.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from .kinds import KINDS, BadExample, Examples, Rule, RuleError

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "rules"
SCHEMA_FILE = Path(__file__).resolve().parent / "pack.schema.json"
# libyaml's loader when PyYAML has it (its wheels do): the same data, about ten times faster.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PACK_SUFFIXES = (".yaml", ".yml")


class _PackLoader(_YAML_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key written twice in one mapping: PyYAML keeps the last, so
    a second ``rules:`` block appended to a pack dropped the first without a word."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # a key YAML allows and Python cannot hash: the constructor refuses it
                continue
            if first is not key_node:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice (first on line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep)


class RulePackError(ValueError):
    """A pack cannot be loaded; the message names the file, the rule, the field and the problem."""


@dataclass(frozen=True)
class Pack:
    name: str
    check: str
    description: str
    sources: tuple[str, ...]
    file: Path
    rules: tuple[Rule, ...]
    # SHA-256 of the file as it was read: the pack as written, what a cached report depends on
    # (a rule's pattern or phrases are in no description of it).
    digest: str

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "check": self.check,
            "description": self.description,
            "sources": list(self.sources),
            "rule_count": len(self.rules),
        }


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


PACK_CHECKS: tuple[str, ...] = tuple(schema()["properties"]["check"]["enum"])


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def pack_files(folder: Path) -> list[Path]:
    """The pack files of a folder (``*.yaml``, ``*.yml``, in any case), in name order. Hidden
    files are none: an editor's lock file or macOS's ``._house.yaml`` beside a pack is no pack.
    A folder without any is a mistake (a wrong path or mount), not a book without house rules."""
    if not Path(folder).is_dir():
        raise RulePackError(f"{folder}: rule pack folder does not exist")
    files = sorted(
        path
        for path in Path(folder).iterdir()
        if path.suffix.lower() in PACK_SUFFIXES and not path.name.startswith(".")
    )
    if not files:
        raise RulePackError(f"no rule packs (*.yaml, *.yml) in {folder}")
    return files


def load_packs(extra_dirs: Sequence[Path] = ()) -> list[Pack]:
    """The built-in packs, then those of each folder in ``extra_dirs`` (the built-in folder
    itself is skipped there), checked as one book: pack names and rule ids are unique and
    every ``supersedes`` selects a loaded rule."""
    files = pack_files(BUILTIN_DIR)
    for folder in extra_dirs:
        if Path(folder).resolve() != BUILTIN_DIR:
            files += pack_files(folder)
    packs: list[Pack] = []
    pack_at: dict[str, Path] = {}
    rule_at: dict[str, Path] = {}
    for path in files:
        pack = load_pack(path)
        if pack.name in pack_at:
            raise RulePackError(f"{path}: pack: {pack.name!r} is already defined in {pack_at[pack.name]}")
        pack_at[pack.name] = path
        for rule in pack.rules:
            if rule.id in rule_at:
                raise RulePackError(f"{path}: rule {rule.id}: id: used twice (also in {rule_at[rule.id]})")
            rule_at[rule.id] = path
        packs.append(pack)
    rules = [rule for pack in packs for rule in pack.rules]
    for pack in packs:
        for rule in pack.rules:
            missing = [s for s in rule.supersedes if not any(other.selected_by(s) for other in rules)]
            if missing:
                raise RulePackError(f"{pack.file}: rule {rule.id}: supersedes: unknown pack or rule {missing[0]}")
    return packs


def load_pack(path: Path) -> Pack:
    """One pack file, validated and compiled (raises :class:`RulePackError`)."""
    try:
        written = path.read_text(encoding="utf-8")
        data = yaml.load(written, Loader=_PackLoader)  # noqa: S506 (a safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulePackError(f"{path}: cannot be read as YAML: {exc}") from exc
    problem = schema_problem(data)
    if problem:
        raise RulePackError(f"{path}: {problem}")
    name, check = data["pack"], data["check"]
    rules = []
    for n, entry in enumerate(data["rules"]):
        try:
            rules.append(_rule(entry, name, check, data))
        except RuleError as exc:
            raise RulePackError(f"{path}: {_rule_label(entry, n)}: {exc}") from exc
    return Pack(
        name=name,
        check=check,
        description=str(data.get("description", "")).strip(),
        sources=tuple(data.get("sources") or ()),
        file=path,
        rules=tuple(rules),
        digest=hashlib.sha256(written.encode("utf-8")).hexdigest(),
    )


def _rule(entry: Mapping[str, Any], pack: str, check: str, pack_data: Mapping[str, Any]) -> Rule:
    """One rule of a pack. Its ``supersedes`` and ``skip_quoted_speech`` are its own when it
    sets them, else its pack's."""
    if not entry["id"].startswith(pack + "."):
        raise RuleError("id", f"must start with the pack's name ('{pack}.rule-name')")
    examples = entry["examples"]
    header = {
        "id": entry["id"],
        "pack": pack,
        "check": check,
        "category": entry["category"],
        "severity": entry["severity"],
        "message": entry["message"],
        "description": entry.get("description") or entry["message"],
        "examples": Examples(
            bad=tuple(
                BadExample(bad) if isinstance(bad, str) else BadExample(bad["text"], tuple(bad["replacements"]))
                for bad in examples["bad"]
            ),
            good=tuple(examples["good"]),
        ),
        "scope": entry.get("scope", "text"),
        "enabled": entry.get("enabled", True),
        "link": entry.get("link"),
        "replacements": tuple(entry.get("replacements", ())),
        "supersedes": tuple(entry.get("supersedes", pack_data.get("supersedes", ()))),
        "skip_quoted_speech": entry.get("skip_quoted_speech", pack_data.get("skip_quoted_speech", False)),
        "same_as_languagetool": tuple(entry.get("same_as_languagetool", ())),
    }
    return KINDS[entry["kind"]].from_entry(entry, header)


# --------------------------------------------------------------------------------------------
# Schema errors in the words of the format
# --------------------------------------------------------------------------------------------

_TYPES = {"string": "text", "array": "a list", "object": "a mapping", "boolean": "true or false"}


def schema_problem(data: Any) -> str | None:
    """The first schema violation of a pack, as ``"rule <id>: <field>: <problem>"`` (or
    ``"<field>: <problem>"`` above the rules), or None when the pack is valid. Pack-level
    problems come first, then rules in file order; within a rule an unknown kind first,
    then unknown fields, then the rest."""
    found = []
    for order, error in enumerate(_validator().iter_errors(data)):
        described = _describe(error, data)
        if described is not None:
            position, priority, text = described
            found.append((position, priority, order, text))
    return min(found)[-1] if found else None


def _describe(error: ValidationError, data: Any) -> tuple[int, int, str] | None:
    """(rule position or -1, priority, message) of one error; None when it only echoes
    another (a kind's branch that failed leaves its fields "unevaluated")."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        position, label, path = path[1], _rule_label(data["rules"][path[1]], path[1]) + ": ", path[2:]
    else:
        position, label = -1, ""
    priority = 2
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        path, problem = [*path, missing[0]], "is required"
    elif error.validator in ("additionalProperties", "unevaluatedProperties"):
        unknown = _unknown_fields(error)
        if not unknown:
            return None
        kind = error.instance.get("kind") if error.validator == "unevaluatedProperties" else None
        path = [*path, ", ".join(unknown)]
        problem = "unknown field" + ("s" if len(unknown) > 1 else "") + (f" for kind {kind}" if kind else "")
        priority = 1
    elif "x-problem" in error.schema:
        problem = error.schema["x-problem"]
    elif error.validator == "enum":
        problem = f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    elif error.validator == "type":
        problem = f"must be {_TYPES.get(error.validator_value, error.validator_value)}"
    elif error.validator in ("minItems", "minProperties", "minLength"):
        problem = "must not be empty"
    else:
        problem = error.message
    if path[:1] == ["kind"]:
        priority = 0
    field = _field(path)
    return position, priority, f"{label}{field}: {problem}" if field else f"{label}{problem}"


def _unknown_fields(error: ValidationError) -> list[str]:
    """The keys no schema declares: for a rule, neither the header nor its kind's branch."""
    declared = set(error.schema.get("properties", {}))
    if error.validator == "unevaluatedProperties":
        declared |= set(_kind_schema(error.instance.get("kind")).get("properties", {}))
    return sorted(set(error.instance) - declared)


def _kind_schema(kind: Any) -> dict[str, Any]:
    for branch in schema()["$defs"]["rule"]["allOf"]:
        if branch["if"]["properties"]["kind"]["const"] == kind:
            return schema()["$defs"][branch["then"]["$ref"].rsplit("/", 1)[1]]
    return {}


def _field(path: Sequence[Any]) -> str:
    parts: Iterator[str] = (f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return "".join(parts).lstrip(".")


def _rule_label(entry: Any, position: int) -> str:
    rule_id = entry.get("id") if isinstance(entry, Mapping) else None
    return f"rule {rule_id}" if isinstance(rule_id, str) and rule_id else f"rule #{position + 1}"
