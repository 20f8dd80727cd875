"""Fixtures for the checks on the built book in _build/html.

Run directly (`pytest tests/built`) these skip when no book has been built. `make test` sets
OPTBOOK_REQUIRE_BUILD=1 right after its strict build, and then a missing build is a failure.
OPTBOOK_HTML=/path/to/_build/html checks a book built elsewhere (e.g. with --path-output).
"""

import os
from pathlib import Path

import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("OPTBOOK_HTML") or ROOT / "_build" / "html").resolve()


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").is_file():
        message = f"no built book in {HTML}: run `make book` first"
        if os.environ.get("OPTBOOK_REQUIRE_BUILD"):
            pytest.fail(message)
        pytest.skip(message)
    return HTML


@pytest.fixture(scope="session")
def toc_docnames() -> list[str]:
    return list(parse_toc_yaml(ROOT / "_toc.yml"))
