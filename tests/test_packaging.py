"""Packaging: the declared dependencies agree, and every import is declared."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from small_portfolio import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _name_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return _normalise(match.group(1)), match.group(2).replace(" ", "")


def _normalise(distribution: str) -> str:
    """A distribution name in its canonical form (PEP 503): ``PyYAML`` → ``pyyaml``."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


RUNTIME = dict(_name_spec(r) for r in PROJECT["dependencies"])
DEV = dict(_name_spec(r) for r in PROJECT["optional-dependencies"]["dev"])


def test_environment_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(
        _name_spec(d) for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",)
    )
    conda.pop("python")
    assert conda == {**RUNTIME, **DEV}


def test_python_version_agrees():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert PROJECT["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def test_console_script_is_declared():
    assert PROJECT["scripts"]["evalkit"] == "evalkit.cli:main"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make packs" in readme
    assert "make test" in ci


def test_make_test_lints_type_checks_and_tests():
    makefile = (ROOT / "Makefile").read_text()
    test_rule = re.search(r"^test:(.*)$", makefile, re.MULTILINE)
    assert test_rule, "Makefile has no test target"
    assert {"lint", "typecheck"} <= set(test_rule.group(1).split("##")[0].split())
    assert "ruff format --check" in makefile and "/bin/mypy" in makefile
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"] == [
        "src/evalkit"
    ]


def test_pre_commit_hooks_are_configured():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "nbstripout", "check-yaml"} <= hooks


# Every import is declared ---------------------------------------------------------


def _top_level_imports(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def _notebook_code(path: Path) -> str:
    """A notebook's code cells as Python, without IPython magics and shell escapes."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines)


def _imports_by_module(folders: Iterable[str]) -> dict[str, set[str]]:
    """Top-level module imported → the files importing it, for .py and .ipynb files."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix == ".py":
                source = path.read_text(encoding="utf-8")
            elif path.suffix == ".ipynb" and ".ipynb_checkpoints" not in path.parts:
                source = _notebook_code(path)
            else:
                continue
            for module in _top_level_imports(source):
                found.setdefault(module, set()).add(str(path.relative_to(ROOT)))
    return found


def _local_modules(folders: Iterable[str]) -> set[str]:
    """Modules that live in the repository itself (evalkit, test helpers, scripts)."""
    local = {"evalkit"}
    for folder in folders:
        local.update(p.stem for p in (ROOT / folder).rglob("*.py"))
    return local


def _provided_by(distributions: Iterable[str]) -> set[str]:
    """Import names the installed ``distributions`` provide (e.g. pyyaml → yaml)."""
    wanted = {_normalise(d) for d in distributions}
    return {
        module
        for module, dists in importlib.metadata.packages_distributions().items()
        if any(_normalise(d) in wanted for d in dists)
    }


def _undeclared(folders: list[str], declared: Iterable[str]) -> dict[str, list[str]]:
    provided = _provided_by(declared)
    local = _local_modules(folders)
    return {
        module: sorted(files)
        for module, files in sorted(_imports_by_module(folders).items())
        if module not in sys.stdlib_module_names
        and module != "__future__"
        and module not in local
        and module not in provided
    }


@pytest.mark.parametrize(
    ("folders", "extras"),
    [
        pytest.param(["src/evalkit", "notebooks"], False, id="package-and-notebooks"),
        pytest.param(["tests", "benchmarks", "tools"], True, id="tests-benchmarks-tools"),
    ],
)
def test_every_third_party_import_is_declared(folders, extras):
    declared = [*RUNTIME, *(DEV if extras else {})]
    where = "[project.optional-dependencies] dev" if extras else "[project] dependencies"
    assert _undeclared(folders, declared) == {}, (
        f"imported but not declared: add the distribution to {where} in pyproject.toml "
        "and to environment.yml (if it is declared, install it: pip install -e '.[dev]')"
    )
