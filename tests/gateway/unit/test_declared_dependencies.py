"""Every package the platform's code imports is one pyproject.toml declares, not one that
happens to arrive with another (as requests, Werkzeug and yarl once did); the tests' and
tools' imports are declared too, in the ``test`` extra or among the dependencies."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FIRST_PARTY = {"gateway", "services", "tests", "deploy"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = [*project["dependencies"],
             *(spec for extra in extras for spec in project["optional-dependencies"][extra])]
    return {_normal(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]) for spec in specs}


def imported_modules(*folders: str) -> dict[str, str]:
    """Top-level module imported -> one file importing it (absolute imports only)."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if (path.parent / f"{top}.py").exists():
                        continue  # a module beside the importing one (pytest's rootdir)
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def undeclared(modules: dict[str, str], declared: set[str]) -> dict[str, str]:
    by_module = packages_distributions()
    missing = {}
    for module, where in modules.items():
        if module in FIRST_PARTY or module in sys.stdlib_module_names:
            continue
        distributions = {_normal(d) for d in by_module.get(module, [])}
        if not distributions & declared:
            missing[module] = where
    return missing


def test_every_package_the_code_imports_is_declared():
    assert undeclared(imported_modules("gateway", "services"), declared_distributions()) == {}


def test_every_package_the_tests_and_tools_import_is_declared():
    assert undeclared(imported_modules("tests", "deploy"),
                      declared_distributions("test")) == {}


def test_an_import_only_another_package_brings_is_caught():
    declared = declared_distributions() - {"requests"}
    assert undeclared({"requests": "services/notify/sms.py"}, declared) == {
        "requests": "services/notify/sms.py"}
