"""The API page (chapters/api.md) documents every public name of optlib and optbook.

In the manner of optax's API coverage test: a function or class that a reader can import but that
the API page never mentions fails here, so a new helper arrives with its documentation.

A name counts as documented when the page has an autodoc directive for it (``autofunction``,
``autoclass``, ``autodata``, or ``automodule`` with the name in its ``:members:`` list), or an
``automodule`` with a bare ``:members:`` for the module that defines it (autodoc then documents
every public function and class defined there).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
from pathlib import Path

import pytest

import optbook
import optlib

ROOT = Path(__file__).resolve().parents[2]
API_PAGE = ROOT / "chapters" / "api.md"

DIRECTIVE = re.compile(r"^\.\. auto(module|class|function|data|exception):: +(\S+)\s*$")
OPTION = re.compile(r"^\s+:(\w[\w-]*):\s*(.*)$")


def _directives(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, target, options) for every autodoc directive on the page."""
    out: list[tuple[str, str, dict[str, str]]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = DIRECTIVE.match(line.strip())
        if not match:
            continue
        options: dict[str, str] = {}
        key = None
        for follow in lines[i + 1:]:
            opt = OPTION.match(follow)
            if opt:
                key = opt.group(1)
                options[key] = opt.group(2).strip()
            elif key and follow.startswith("   ") and follow.strip():
                options[key] += " " + follow.strip()     # a :members: list over two lines
            else:
                break
        out.append((match.group(1), match.group(2), options))
    return out


def _resolve(target: str, kind: str = "module") -> object:
    """The object a dotted autodoc target names, as autodoc reads it.

    For ``automodule`` the module; for the other directives an attribute of the module or class
    before the last dot (so ``optlib.run`` is the function, not the module of the same name).
    """
    if kind != "module":
        parent, name = target.rsplit(".", 1)
        return getattr(_resolve(parent), name)
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(target)


def _defined_here(module: types.ModuleType) -> dict[str, object]:
    """The public functions and classes that ``module`` itself defines."""
    return {name: obj for name, obj in vars(module).items()
            if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module.__name__}


def _modules(package: types.ModuleType) -> list[types.ModuleType]:
    found = [package]
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        # private modules, and the data generators (make_*.py, run once in a throw-away venv
        # with their own dependencies) are not API
        last = info.name.rsplit(".", 1)[-1]
        if not any(part.startswith("_") for part in info.name.split(".")) and not last.startswith(
                "make_"):
            found.append(importlib.import_module(info.name))
    return found


def _documented() -> set[int]:
    """ids of every object the page documents."""
    ids: set[int] = set()
    for kind, target, options in _directives(API_PAGE.read_text(encoding="utf-8")):
        obj = _resolve(target, kind)
        ids.add(id(obj))
        members = options.get("members")
        if kind == "module" and members is not None:
            if members:
                ids.update(id(getattr(obj, m.strip())) for m in members.split(",") if m.strip())
            else:
                ids.update(id(o) for o in _defined_here(obj).values())
    return ids


def _public() -> dict[str, object]:
    """Dotted name -> object for every public name of optlib and optbook."""
    names: dict[str, object] = {}
    for package in (optlib, optbook):
        for name in package.__all__:
            names[f"{package.__name__}.{name}"] = getattr(package, name)
        for module in _modules(package):
            for name, obj in _defined_here(module).items():
                names.setdefault(f"{module.__name__}.{name}", obj)
    return names


PUBLIC = _public()


def test_the_page_names_only_what_exists():
    for kind, target, options in _directives(API_PAGE.read_text(encoding="utf-8")):
        obj = _resolve(target, kind)               # raises on a misspelt or removed name
        for member in filter(None, map(str.strip, options.get("members", "").split(","))):
            assert hasattr(obj, member), f"{target} has no member {member}"


def test_every_public_name_is_on_the_api_page():
    documented = _documented()
    # a module in __all__ is covered by its functions and classes, which the walk lists
    missing = sorted(name for name, obj in PUBLIC.items()
                     if id(obj) not in documented and not isinstance(obj, types.ModuleType))
    assert not missing, "not on chapters/api.md: " + ", ".join(missing)


def test_the_coverage_check_sees_the_public_names():
    # guards against a vacuous pass: the walk finds names in every layer
    for name in ("optlib.Adam", "optlib.frameworks.TorchSGD", "optlib.schedules",
                 "optlib.run.settled_below", "optbook.glue_numbers", "optbook.webfig.sweep_figure",
                 "optbook.registry.method_name"):
        assert name in PUBLIC, name


@pytest.mark.parametrize("text, expected", [
    (".. automodule:: optlib.theory\n   :members:\n",
     [("module", "optlib.theory", {"members": ""})]),
    (".. automodule:: optlib.plotting\n   :members: contour,\n             compare\n",
     [("module", "optlib.plotting", {"members": "contour, compare"})]),
    (".. autofunction:: optlib.run\n", [("function", "optlib.run", {})]),
])
def test_directive_parser(text, expected):
    assert _directives(text) == expected
