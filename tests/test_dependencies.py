"""Every runtime dependency declared in pyproject.toml is used by dhr_kit: imported somewhere, or on
the short list of packages used without an import (each with the reason). Test-only packages belong
in the `test` extra."""
from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
USED_WITHOUT_IMPORT = {
    "ipykernel": "the Jupyter kernel nbclient starts to execute chapters (a separate process)",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normal(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def _imported_distributions() -> set[str]:
    modules: set[str] = set()
    for path in (REPO / "dhr_kit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = packages_distributions()
    return {_normal(dist) for module in modules for dist in owners.get(module, [])}


def test_every_declared_dependency_is_used() -> None:
    unused = _declared() - _imported_distributions() - set(USED_WITHOUT_IMPORT)
    assert not unused, f"declared in pyproject.toml but never imported by dhr_kit: {sorted(unused)}"


def test_the_exceptions_are_still_declared() -> None:
    assert set(USED_WITHOUT_IMPORT) <= _declared()
