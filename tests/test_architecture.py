"""The dependency rules of DESIGN.md, checked on the source: apps import only apps before them."""

import ast
import re
from pathlib import Path

import pytest
import rules

from tests.stand_ins import stand_ins

ROOT = Path(__file__).resolve().parent.parent

# What each app may import (DESIGN.md: accounts ← calls ← evaluation ← vouchers ← public;
# mentoring (issue #17) comes after vouchers; matchmaking uses accounts and calls; events uses
# accounts, matchmaking and calls; impact (issue #17) uses accounts, calls, evaluation and
# vouchers; minegap is below them all and reads only the role rules).
MAY_IMPORT = {
    "minegap": {"minegap", "accounts"},
    "accounts": {"minegap", "accounts"},
    "calls": {"minegap", "accounts", "calls"},
    "matchmaking": {"minegap", "accounts", "calls", "matchmaking"},
    "evaluation": {"minegap", "accounts", "calls", "evaluation"},
    "vouchers": {"minegap", "accounts", "calls", "evaluation", "vouchers"},
    "mentoring": {"minegap", "accounts", "calls", "evaluation", "vouchers", "mentoring"},
    "events": {"minegap", "accounts", "matchmaking", "calls", "events"},
    "impact": {"minegap", "accounts", "calls", "evaluation", "vouchers", "impact"},
    "public": {
        "minegap",
        "accounts",
        "calls",
        "matchmaking",
        "evaluation",
        "vouchers",
        "mentoring",
        "events",
        "impact",
        "public",
    },
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


# Each question "may this person do X (to this object)?" has one name (django-rules), asked by
# views, the API and templates alike; the predicates themselves are for rules.py and services.
APPS_ASKING = (
    "accounts",
    "calls",
    "evaluation",
    "vouchers",
    "mentoring",
    "matchmaking",
    "events",
    "impact",
    "public",
)
PERMISSION_ATTRIBUTES = {"permission_required", "permission", "PERMISSION"}
TEMPLATE_PERMISSION = re.compile(r"{%\s*has_perm\s+['\"]([\w.]+)['\"]")


def _is_view_or_api(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    names = {*parts[1:-1], path.stem}
    return any(n in {"views", "api"} or n.startswith(("views_", "api_")) for n in names)


def _asked_permissions() -> dict[str, list[str]]:
    """Every permission name asked in the code: has_perm("…"), permission_required = "…" (and
    NamedPermission's `permission`), {% has_perm "…" %}; with where."""
    asked: dict[str, list[str]] = {}
    for app in [*APPS_ASKING, "minegap"]:
        for path in _source_files(app):
            where = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text())):
                name = None
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "has_perm"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    name = node.args[0].value
                elif (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Constant)
                    and any(
                        isinstance(t, ast.Name) and t.id in PERMISSION_ATTRIBUTES
                        for t in node.targets
                    )
                ):
                    name = node.value.value
                if isinstance(name, str) and name:  # "": NamedPermission's unset default
                    asked.setdefault(name, []).append(f"{where}:{node.lineno}")
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
        (ROOT / "templates").rglob("*.html")
    ):
        for name in TEMPLATE_PERMISSION.findall(path.read_text()):
            asked.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return asked


def _mentioned_outside_rules() -> set[str]:
    """Every string constant of the apps' code but their rules.py, and every quoted word of
    their templates."""
    found: set[str] = set()
    for app in [*APPS_ASKING, "minegap"]:
        for path in _source_files(app):
            if path.name == "rules.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
        (ROOT / "templates").rglob("*.html")
    ):
        found.update(re.findall(r"['\"]([\w.]+)['\"]", path.read_text()))
    return found


def test_every_named_permission_is_asked_somewhere():
    """A permission nothing asks is dead wiring: the views answer the question some other way."""
    unasked = sorted(set(rules.permissions.permissions) - _mentioned_outside_rules())
    assert unasked == []


def test_every_permission_asked_is_registered():
    """has_perm of a misspelt name is False for everyone: it must fail here, not silently."""
    unknown = {
        name: where
        for name, where in _asked_permissions().items()
        if name not in rules.permissions.permissions
    }
    assert unknown == {}


@pytest.mark.parametrize("app", APPS_ASKING)
def test_views_and_the_api_ask_named_permissions_not_predicates(app):
    """Views and API modules say user.has_perm("app.name", obj) (or permission_required), not
    is_organisation_admin(user, obj): one way to ask each question."""
    found = []
    for path in _source_files(app):
        if not _is_view_or_api(path):
            continue
        for node, module in _imported_modules(ast.parse(path.read_text())):
            if module.split(".")[-1] == "rules":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    assert found == []
