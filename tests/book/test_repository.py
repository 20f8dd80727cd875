"""Checks on the repository itself: notebooks, table of contents, pinned requirements.

These run without building the book; `make test` runs them first.
"""

import json
import re
import tomllib
from pathlib import Path

import nbformat
import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"
NOTEBOOKS = sorted(CHAPTERS.rglob("*.ipynb"))
PAGE_SUFFIXES = (".md", ".ipynb")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _toc_docnames() -> list[str]:
    # The parser Jupyter Book itself uses, so the test reads the toc exactly as the build does.
    return list(parse_toc_yaml(ROOT / "_toc.yml"))


def _source_of(docname: str) -> list[Path]:
    return [p for s in PAGE_SUFFIXES if (p := ROOT / f"{docname}{s}").is_file()]


# --- notebooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_is_valid_nbformat(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4, f"{_rel(path)}: nbformat {nb.nbformat}, expected 4"
    nbformat.validate(nb)  # raises ValidationError on a malformed notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("outputs") or cell.get("execution_count") is not None
    ]
    assert not dirty, (
        f"{_rel(path)}: cells {dirty} hold outputs or execution counts; run `make strip`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_has_no_widget_state(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb.get("metadata", {}), (
        f"{_rel(path)}: metadata holds saved widget state; run `make strip`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_uses_the_python3_kernel(path):
    # Binder, Colab, nbval and the book build all start the kernel named here.
    nb = json.loads(path.read_text(encoding="utf-8"))
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    assert kernel == "python3", f"{_rel(path)}: kernelspec name is {kernel!r}, expected 'python3'"


#: A function a cell defines at its top level (a closure inside another function, such as the
#: ``grad`` of an objective built on the spot, is part of that function, not a helper).
DEF = re.compile(r"^def[ \t]+(\w+)[ \t]*\(", re.MULTILINE)


def _defined_functions(path: Path) -> set[str]:
    """The names of the functions the notebook's code cells define at their top level."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {name for cell in nb.get("cells", []) if cell.get("cell_type") == "code"
            for name in DEF.findall("".join(cell.get("source", "")))}


def test_the_def_scan_finds_definitions():
    # guards the check below against a vacuous pass
    source = "x = 1\ndef first(a):\n    def inner():\n        pass\nprint('def not_this(')\n"
    assert set(DEF.findall(source)) == {"first"}


def test_no_function_is_defined_in_two_notebooks():
    # A helper two chapters need belongs in optlib (library-worthy) or optbook (book machinery),
    # with tests; the notebooks import it.
    where: dict[str, list[str]] = {}
    for path in NOTEBOOKS:
        for name in _defined_functions(path):
            where.setdefault(name, []).append(_rel(path))
    repeated = {name: paths for name, paths in sorted(where.items()) if len(paths) > 1}
    assert not repeated, (
        "functions defined in more than one notebook (move them to optlib or optbook): "
        + "; ".join(f"{name} in {', '.join(paths)}" for name, paths in repeated.items()))


# --- table of contents -----------------------------------------------------------------------


def test_toc_root_is_the_intro():
    site_map = parse_toc_yaml(ROOT / "_toc.yml")
    assert site_map.root.docname == "chapters/intro"
    assert site_map.file_format == "jb-book"


def test_every_toc_entry_exists():
    missing = [d for d in _toc_docnames() if not _source_of(d)]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"


def test_every_toc_entry_is_unambiguous():
    doubled = {d: [_rel(p) for p in ps] for d in _toc_docnames() if len(ps := _source_of(d)) > 1}
    assert not doubled, f"pages with both a .md and an .ipynb source: {doubled}"


def test_every_page_in_chapters_is_in_the_toc():
    # only_build_toc_files is on, so a page missing from the toc would silently not be built.
    listed = set(_toc_docnames())
    pages = [p for p in CHAPTERS.rglob("*") if p.suffix in PAGE_SUFFIXES]
    pages = [p for p in pages if ".ipynb_checkpoints" not in p.parts]
    orphans = sorted(_rel(p) for p in pages if _rel(p.with_suffix("")) not in listed)
    assert not orphans, f"pages in chapters/ that _toc.yml does not list: {orphans}"


# --- requirements ----------------------------------------------------------------------------

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==[^=\s]+$")


def _requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [s for line in lines if (s := line.split("#", 1)[0].strip())]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_requirements_are_pinned():
    loose = [line for line in _requirement_lines() if line != "-e ." and not PIN.match(line)]
    assert not loose, f"requirements.txt lines not pinned with ==: {loose}"


def test_requirements_install_optlib():
    assert "-e ." in _requirement_lines(), "requirements.txt must end by installing optlib (-e .)"


def test_requirements_pin_every_dependency_of_optlib():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted += extra
    wanted = {_normalise(re.split(r"[\s<>=!~;\[]", w, maxsplit=1)[0]) for w in wanted}
    pinned = {_normalise(m["name"]) for line in _requirement_lines() if (m := PIN.match(line))}
    assert wanted <= pinned, f"in pyproject.toml but not pinned: {sorted(wanted - pinned)}"


#: The glue roles of myst-nb. ``{glue:.3g}`key``` is not one of them: it renders as literal
#: text without a warning, so a format must go inside the role, ``{glue:text}`key:.3g```.
GLUE_ROLES = {"", "any", "text", "md", "figure"}


@pytest.mark.parametrize("path", NOTEBOOKS + sorted(CHAPTERS.glob("*.md")), ids=_rel)
def test_glue_roles_are_ones_myst_nb_knows(path):
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue(?::([^}]*))?\}`", text))
    unknown = sorted(used - GLUE_ROLES)
    assert not unknown, (f"{_rel(path)} uses {{glue:{unknown[0]}}}: not a myst-nb role (it shows "
                         "as literal text); write {glue:text}`name:format`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_starts_with_the_setup_cell(path):
    """The hidden first cell installs the book on Colab (repository from _config.yml) and
    applies the book's figure style; `python -m optbook.colab` writes it."""
    from optbook.colab import TAGS, repository, setup_source

    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0] if nb.cells else None
    expected = setup_source(*repository(ROOT))
    assert first is not None and first.cell_type == "code" and first.source == expected, (
        f"{_rel(path)}: the first cell is not the current set-up cell; "
        "run `.venv/bin/python -m optbook.colab`")
    assert first.metadata.get("tags") == TAGS, f"{_rel(path)}: the set-up cell must be hidden"
