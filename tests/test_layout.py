"""The layout rules in CONTRIBUTING.md: imports flow one way, and tests mirror the package."""

from __future__ import annotations

import ast

from small_portfolio import ROOT

PACKAGE = ROOT / "src" / "evalkit"
#: Each stage may import its own and earlier ranks only; shared helpers sit below all.
RANK = {
    "__init__": 0,
    "config": 0,
    "errors": 0,
    "atomic": 0,
    "names": 0,
    "spreadsheet": 0,
    "terminal": 0,
    "yamlfile": 0,
    "dates": 0,
    "values": 0,
    "source": 0,
    "inputs": 1,
    "method": 2,
    "report": 3,
    "build": 4,
    "route": 5,
    "docs": 6,
    "cli": 6,
}


def _stage(module: str) -> str:
    """``evalkit.method.rules`` → ``method``; ``evalkit`` itself → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _runtime_imports(tree: ast.Module) -> list[str]:
    """evalkit modules imported when the module runs (``if TYPE_CHECKING:`` blocks skipped)."""
    type_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "evalkit":
                found += [f"evalkit.{alias.name}" for alias in node.names]
            elif node.module.startswith("evalkit."):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("evalkit.")]
    return found


def test_every_module_belongs_to_a_stage():
    for path in PACKAGE.rglob("*.py"):
        top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert top in RANK, f"{path}: add it to a stage folder (or to RANK and CONTRIBUTING.md)"


def test_imports_flow_from_inputs_to_method_to_report_to_build():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _stage(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if RANK.get(_stage(module), 0) > RANK[me]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == [], "a stage may import only itself and earlier stages"


def test_tests_mirror_the_package_without_init_files_or_clashing_names():
    tests = ROOT / "tests"
    assert not list(tests.rglob("__init__.py"))
    names = [p.name for p in tests.rglob("test_*.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    for folder in (p for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        assert folder.name == "browser" or (PACKAGE / folder.name).is_dir(), folder
