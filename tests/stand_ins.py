"""Finds the tests that replace our own code with a stand-in (read on the source, with `ast`).

A test may patch time and the outside world (settings, the environment, SMTP, HTTP, the
database driver, third-party classes); it may not patch an object of our own packages, since
then it tests the stand-in. Every `monkeypatch.setattr/delattr/setitem/delitem` and every
`unittest.mock.patch` (`patch`, `patch.object`, `patch.dict`, `patch.multiple`, `mocker.patch`)
is resolved through the file's imports to a dotted path; a target that cannot be resolved (a
local variable) is reported too, since this check must not pass when it cannot tell.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass

OUR_PACKAGES = frozenset(
    {"accounts", "calls", "evaluation", "vouchers", "matchmaking", "public", "minegap"}
)
MONKEYPATCH_METHODS = frozenset({"setattr", "delattr", "setitem", "delitem"})
MOCK_HELPERS = frozenset({"object", "dict", "multiple"})
MOCK_MODULES = frozenset({"unittest.mock", "mock"})


@dataclass(frozen=True)
class StandIn:
    line: int
    call: str
    target: str | None  # the dotted path patched, None when it cannot be resolved

    def __str__(self) -> str:
        what = self.target or "a target this check cannot resolve"
        return f"{self.line}: {self.call} patches {what}"


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> the dotted path it was imported as."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _resolve(node: ast.AST, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Subscript):  # settings.DATABASES["default"]: the dict's owner
        owner = _resolve(node.value, names)
        return f"{owner}[]" if owner else None
    dotted = _dotted(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    if head not in names:
        return None
    return f"{names[head]}.{rest}" if rest else names[head]


def _is_mock_patch(func: ast.AST, names: dict[str, str]) -> bool:
    """`patch`, `mock.patch`, `unittest.mock.patch` or `mocker.patch` (not a test client's
    HTTP `.patch`)."""
    if isinstance(func, ast.Name):
        return names.get(func.id) in {f"{module}.patch" for module in MOCK_MODULES}
    if isinstance(func, ast.Attribute) and func.attr == "patch":
        if isinstance(func.value, ast.Name) and func.value.id == "mocker":
            return True
        return _resolve(func.value, names) in MOCK_MODULES
    return False


def _patch_calls(tree: ast.AST, names: dict[str, str]) -> Iterator[tuple[ast.Call, str]]:
    """Each patching call with its first argument's role: "target" (an object or dotted path)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in MONKEYPATCH_METHODS:
            yield node, f"monkeypatch.{func.attr}"
        elif _is_mock_patch(func, names):
            yield node, "mock.patch"
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in MOCK_HELPERS
            and _is_mock_patch(func.value, names)
        ):
            yield node, f"mock.patch.{func.attr}"


def _is_ours(target: str) -> bool:
    return target.split(".")[0] in OUR_PACKAGES


def stand_ins(source: str) -> list[StandIn]:
    """Every place in `source` that patches our own code, or something it cannot resolve."""
    tree = ast.parse(source)
    names = _imported_names(tree)
    found = []
    for call, kind in _patch_calls(tree, names):
        target = _resolve(call.args[0], names)
        attribute = call.args[1] if len(call.args) > 1 else None
        if (
            target is not None
            and not isinstance(call.args[0], ast.Constant)
            and kind in {"monkeypatch.setattr", "monkeypatch.delattr", "mock.patch.object"}
            and isinstance(attribute, ast.Constant)
            and isinstance(attribute.value, str)
        ):
            target = f"{target}.{attribute.value}"
        if target is None or _is_ours(target):
            found.append(StandIn(call.lineno, kind, target))
    return sorted(found, key=lambda s: s.line)
