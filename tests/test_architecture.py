"""The dependency rules of DESIGN.md, checked on the source: apps import only apps before them."""

import ast
from pathlib import Path

import pytest

from tests.stand_ins import stand_ins

ROOT = Path(__file__).resolve().parent.parent

# What each app may import (DESIGN.md: accounts ← calls ← evaluation ← vouchers ← public;
# matchmaking uses accounts and calls; minegap is below them all and reads only the role rules).
MAY_IMPORT = {
    "minegap": {"minegap", "accounts"},
    "accounts": {"minegap", "accounts"},
    "calls": {"minegap", "accounts", "calls"},
    "matchmaking": {"minegap", "accounts", "calls", "matchmaking"},
    "evaluation": {"minegap", "accounts", "calls", "evaluation"},
    "vouchers": {"minegap", "accounts", "calls", "evaluation", "vouchers"},
    "public": {"minegap", "accounts", "calls", "matchmaking", "evaluation", "vouchers", "public"},
}
# minegap/urls.py mounts every app's URLs; that is its job.
URL_ROOT = Path("minegap/urls.py")


def _source_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_apps_import_only_apps_before_them(app):
    violations = []
    for path in _source_files(app):
        if path.relative_to(ROOT) == URL_ROOT:
            continue
        for node, module in _imported_modules(ast.parse(path.read_text())):
            top = module.split(".")[0]
            if top in MAY_IMPORT and top not in MAY_IMPORT[app]:
                violations.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    assert violations == []


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_no_function_level_imports_except_signal_wiring(app):
    """Imports inside functions hide cycles; AppConfig.ready() connecting signals is the exception."""
    found = []
    for path in _source_files(app):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                is_signal_wiring = function.name == "ready" and path.name == "apps.py"
                if not is_signal_wiring:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_no_test_replaces_our_own_code_with_a_stand_in():
    """Tests patch time and the outside world only (tests/stand_ins.py says what counts)."""
    found = [
        f"{path.relative_to(ROOT)}:{stand_in}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for stand_in in stand_ins(path.read_text())
    ]
    assert found == []
