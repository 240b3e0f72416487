"""The import direction holds: `lint-imports` checks the contracts in pyproject.toml.

The contracts are data in ``[tool.importlinter]``; this file runs the tool on the real tree, and
proves each forbidden contract can fail by running it on a small generated tree that breaks it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
FORBIDDEN = [contract for contract in CONFIG["contracts"] if contract["type"] == "forbidden"]


def lint_imports(cwd: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *options],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_import_contract() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in CONFIG["contracts"]:
        assert f"{contract['name']} KEPT" in result.stdout, result.stdout
    assert f"{len(CONFIG['contracts'])} kept, 0 broken" in result.stdout


def test_service_is_kept_apart_from_bench_training_and_the_training_stack() -> None:
    forbidden = {module for contract in FORBIDDEN for module in contract["forbidden_modules"]}
    sources = {module for contract in FORBIDDEN for module in contract["source_modules"]}
    assert {"bench", "training", "sklearn", "scipy", "numpy"} <= forbidden
    assert sources == {"service"}


def _ini(config: dict[str, Any], contract: dict[str, Any]) -> str:
    """The top-level options plus one contract, as an INI file lint-imports reads."""

    def value(item: Any) -> str:
        return "\n    " + "\n    ".join(item) if isinstance(item, list) else str(item)

    top = {key: item for key, item in config.items() if key != "contracts"}
    lines = ["[importlinter]", *(f"{key} = {value(item)}" for key, item in top.items())]
    lines.append(f"[importlinter:contract:{contract.get('id', 'contract')}]")
    lines += [f"{key} = {value(item)}" for key, item in contract.items() if key != "id"]
    return "\n".join(lines) + "\n"


def _tree(root: Path, offending: str | None) -> None:
    """Root packages with one module each; ``service.offender`` imports ``offending`` if given."""
    for package in CONFIG["root_packages"]:
        (root / package).mkdir()
        (root / package / "__init__.py").write_text('"""Generated for the test."""\n')
    (root / "service" / "offender.py").write_text(f"import {offending}\n" if offending else "import json\n")


@pytest.mark.parametrize("contract", FORBIDDEN, ids=[c.get("id", c["name"]) for c in FORBIDDEN])
def test_each_forbidden_contract_fails_on_a_tree_that_breaks_it(tmp_path: Path, contract: dict[str, Any]) -> None:
    for offending in contract["forbidden_modules"]:
        root = tmp_path / offending
        root.mkdir()
        (root / "setup.cfg").write_text(_ini(CONFIG, contract))
        _tree(root, offending)
        result = lint_imports(root, "--config", "setup.cfg")
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"{contract['name']} BROKEN" in result.stdout
        assert f"service.offender -> {offending}" in result.stdout


def test_the_same_generated_tree_passes_without_the_offending_import(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(_ini(CONFIG, FORBIDDEN[0]))
    _tree(tmp_path, None)
    result = lint_imports(tmp_path, "--config", "setup.cfg")
    assert result.returncode == 0, result.stdout + result.stderr


LAYERS = next(contract for contract in CONFIG["contracts"] if contract["type"] == "layers")


@pytest.mark.parametrize(
    ("module", "upward"),
    [("findings", "scoring"), ("checks/grammar", "api"), ("rulebook/book", "checks"), ("text/segments", "findings")],
)
def test_the_layers_contract_fails_when_a_lower_layer_imports_a_higher_one(
    tmp_path: Path, module: str, upward: str
) -> None:
    """A copy of the real tree with one upward import added breaks the layers contract."""
    root = tmp_path / "tree"
    root.mkdir()
    for package in CONFIG["root_packages"]:
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    target = root / "service" / f"{module}.py"
    target.write_text(target.read_text(encoding="utf-8") + f"\nfrom service import {upward}  # noqa\n")
    (root / "setup.cfg").write_text(_ini(CONFIG, LAYERS))
    result = lint_imports(root, "--config", "setup.cfg")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{LAYERS['name']} BROKEN" in result.stdout
    assert f"service.{module.replace('/', '.')} -> service.{upward}" in result.stdout


def test_every_module_of_the_package_sits_in_a_layer() -> None:
    """A module in no layer is checked by no direction: anything may import it, and it anything."""
    layered = {name.strip() for layer in LAYERS["layers"] for name in layer.split("|")}
    package = REPO / "service"
    modules = {path.stem for path in package.glob("*.py") if path.name != "__init__.py"}
    modules |= {path.parent.name for path in package.glob("*/__init__.py")}
    assert modules - layered == set()
    assert layered - modules == set()  # and no layer names a module that is gone
