"""A small Sphinx extension of the book: vendored scripts are loaded only where needed.

The book reads offline: MathJax, require.js and the ipywidgets HTML manager are served from
``_static/vendor/`` (see ``_static/vendor/README.md``), never from a CDN. ``_config.yml``
points at them: ``mathjax_path`` for MathJax, ``nb_ipywidgets_js`` for require.js and the
widgets manager (which myst-nb adds only to pages that hold widgets).

Jupyter Book, however, adds *every* ``.js`` and ``.css`` file it finds under ``_static/`` to
*every* page. That would load MathJax's 40 TeX extensions, a second MathJax and the 4 MB
widgets bundle on each page. This extension takes the ``vendor/`` files out of those lists
again, when the configuration is read. Sphinx still copies them to ``_build/html/_static``.

It also drops a repeated inline script from a page's ``<head>``: sphinx-thebe adds its
configuration (``const THEBE_JS_URL = …``) once per read of the sources, and a second copy of
a ``const`` declaration is a JavaScript error in the browser console.

It keeps pages light: the ipywidgets manager (``embed-amd.js``, 3.6 MB, with require.js and
the saved widget state) stays only on a page that really renders a widget view (myst-nb adds it
to every notebook that has widget state, although the book shows the explorer's ``text/html``
instead), and the theme's ``fontawesome.js`` (1.5 MB, which swaps icons for SVG) is left out
by the template ``optbook/templates/layout.html``: the theme's style sheet already draws the
same icons from its web fonts.

It mends the markup of the page body for assistive technology (``fix_markup``): header cells
that are empty become plain cells, the bibliography's list gets list items instead of the
deprecated ``doc-biblioentry`` role, the "Show code cell source" toggles are named by the text
they show.

At the end of a build it re-encodes the figures' PNGs with a 256-colour palette (3-5x
smaller, the same look: :func:`shrink_png`), and writes ``_static/optbook-cjk.woff``: the
Chinese characters the book uses, cut out of Noto Sans CJK (SIL Open Font License) with
fontTools' subsetter, so the terms show on a system without a CJK font
(``_static/optbook.css`` names it as the last font).
The full font comes from ``OPTBOOK_CJK_FONT`` or Debian's ``fonts-noto-cjk``
(``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``), which `make` installs.

Enabled in ``_config.yml`` under ``sphinx: extra_extensions``. Sphinx imports this module;
``import optlib`` and ``import optbook`` do not.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

#: Files under ``_static/`` whose path starts with this are never added to every page.
VENDOR_PREFIX = "vendor/"


def _filename(entry: Any) -> str:
    # an entry is a file name, or (file name, attributes) as Sphinx also accepts
    return str(entry[0] if isinstance(entry, (tuple, list)) else entry)


def drop_vendored_files(app: Any, config: Any) -> None:
    """Remove ``vendor/…`` entries from ``html_js_files`` and ``html_css_files``."""
    for key in ("html_js_files", "html_css_files"):
        entries = list(getattr(config, key, None) or [])
        kept = [e for e in entries if not _filename(e).startswith(VENDOR_PREFIX)]
        if len(kept) != len(entries):
            setattr(config, key, kept)


def drop_repeated_scripts(app: Any, pagename: str, templatename: str, context: dict,
                          doctree: Any) -> None:
    """Keep one copy of each script (same file and same inline body) in a page's head."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        # an inline script may carry the file name None or "" depending on who added it
        key = (getattr(script, "filename", str(script)) or "", attributes.get("body", ""))
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    if len(kept) != len(scripts):
        # in place: handlers that run later (e.g. Sphinx's MathJax) add to this same list
        scripts[:] = kept


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def add_templates(app: Any, config: Any) -> None:
    """Put ``optbook/templates`` first on the template path (it extends the theme's layout)."""
    paths = list(getattr(config, "templates_path", None) or [])
    if str(TEMPLATES) not in paths:
        config.templates_path = [str(TEMPLATES), *paths]


def drop_unused_widget_scripts(app: Any, pagename: str, templatename: str, context: dict,
                               doctree: Any) -> None:
    """Leave out the widgets manager and widget state on a page that renders no widget view."""
    scripts = context.get("script_files")
    if not scripts or WIDGET_VIEW in (context.get("body") or ""):
        return
    manager = set((getattr(app.config, "nb_ipywidgets_js", None) or {}).keys())
    kept = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        name = getattr(script, "filename", str(script)) or ""
        # Sphinx stores the files it was given under "_static/"
        if (any(name == f"_static/{m}" or name == m for m in manager)
                or attributes.get("type") == WIDGET_STATE):
            continue
        kept.append(script)
    if len(kept) != len(scripts):
        scripts[:] = kept


_EMPTY_HEADER = re.compile(r'<th class="head">(\s*<p>\s*</p>)?\s*</th>')


def fix_markup(app: Any, pagename: str, templatename: str, context: dict,
               doctree: Any) -> None:
    """Markup fixes for assistive technology, on the page's rendered body."""
    body = context.get("body")
    if not body:
        return
    # an empty header cell announces nothing: make it a plain cell
    body = _EMPTY_HEADER.sub('<td class="head"></td>', body)
    # myst-nb's "Show code cell source" toggles: a name ("Toggle hidden content") that differs
    # from the text a reader sees; without it the name is the visible text
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    # sphinxcontrib-bibtex: a role="list" whose children are role="doc-biblioentry"
    # (deprecated, and not a list item): make them list items
    if "citation-list" in body:
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    context["body"] = body


#: Characters the subset font covers (CJK ideographs, punctuation and full-width forms).
CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                 r"\uff00-\uffef]")
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
)
CJK_FONT_FILE = "optbook-cjk.woff"


def book_cjk_characters(srcdir: str | Path) -> str:
    """Every CJK character in the book's sources (pages, notebooks, data), sorted."""
    found: set[str] = set()
    root = Path(srcdir)
    for pattern in ("*.md", "*.ipynb", "*.yml", "*.bib"):
        for path in root.rglob(pattern):
            if any(part.startswith((".", "_build")) for part in path.relative_to(root).parts):
                continue
            found.update(CJK.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return "".join(sorted(found))


def find_cjk_font() -> Path | None:
    """The full CJK font to cut the subset from: ``OPTBOOK_CJK_FONT`` or Debian's Noto CJK."""
    named = os.environ.get("OPTBOOK_CJK_FONT")
    for candidate in ([named] if named else []) + list(CJK_FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def subset_cjk_font(source: Path, text: str, target: Path) -> int:
    """Write the glyphs of ``text`` from the Simplified Chinese face of ``source`` as WOFF."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    if source.suffix.lower() == ".ttc":
        faces = TTCollection(str(source)).fonts
        names = [f["name"].getDebugName(1) or "" for f in faces]
        index = next((i for i, n in enumerate(names) if n.endswith(" SC")), 0)
        font = TTFont(str(source), fontNumber=index, lazy=False)
    else:
        font = TTFont(str(source), lazy=False)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff"
    font.save(str(target))
    return target.stat().st_size


def write_cjk_font(app: Any, exception: Exception | None) -> None:
    """After an HTML build: ``_static/optbook-cjk.woff`` with the book's Chinese characters."""
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    text = book_cjk_characters(app.srcdir)
    if not text:
        return
    source = find_cjk_font()
    if source is None:
        logger.warning("no Noto Sans CJK font found (install Debian's fonts-noto-cjk or set "
                       "OPTBOOK_CJK_FONT): the Chinese terms use the reader's own fonts")
        return
    size = subset_cjk_font(source, text, Path(app.outdir) / "_static" / CJK_FONT_FILE)
    logger.info(f"optbook: {len(text)} CJK characters from {source.name} -> "
                f"_static/{CJK_FONT_FILE} ({size / 1e3:.0f} kB)")


PALETTE_MARK = "optbook-palette"


def shrink_png(path: Path, colors: int = 256) -> tuple[int, int]:
    """Re-encode a figure PNG with a palette of ``colors`` (lossless-looking for plots).

    Matplotlib's figures have a few flat colours and their anti-aliased edges; 256 colours
    keep them as they look and make the file 3-5x smaller. The resolution recorded in the
    file (dpi) is kept; a file already done (marked in a text chunk) is left alone.
    Returns the sizes before and after.
    """
    from PIL import Image, PngImagePlugin

    before = path.stat().st_size
    with Image.open(path) as im:
        if im.info.get(PALETTE_MARK) or im.mode not in ("RGB", "RGBA"):
            return before, before
        im.load()
        dpi = im.info.get("dpi")
        transparent = im.mode == "RGBA" and im.getextrema()[3][0] < 255
        source = im if transparent else im.convert("RGB")
        # median cut keeps flat colours exact (white stays 255); only octree takes alpha
        method = Image.Quantize.FASTOCTREE if transparent else Image.Quantize.MEDIANCUT
        quantized = source.quantize(colors=colors, method=method, dither=Image.Dither.NONE)
    info = PngImagePlugin.PngInfo()
    info.add_text(PALETTE_MARK, "1")
    tmp = path.with_suffix(".tmp.png")
    quantized.save(tmp, "PNG", compress_level=6, pnginfo=info,
                   **({"dpi": dpi} if dpi else {}))
    after = tmp.stat().st_size
    if after < before:
        tmp.replace(path)
        return before, after
    tmp.unlink()
    return before, before


def shrink_images(app: Any, exception: Exception | None) -> None:
    """After an HTML build: every figure PNG in ``_images`` with a 256-colour palette."""
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    from concurrent.futures import ThreadPoolExecutor

    from sphinx.util import logging

    folder = Path(app.outdir) / "_images"
    paths = sorted(folder.glob("*.png")) if folder.is_dir() else []
    # Pillow releases the GIL while it quantizes and compresses: one thread per core
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        sizes = list(pool.map(shrink_png, paths))
    before, after = sum(b for b, _ in sizes), sum(a for _, a in sizes)
    if before != after:
        logging.getLogger(__name__).info(
            f"optbook: figure PNGs {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB (palette)")


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", drop_vendored_files)
    app.connect("config-inited", add_templates)
    # early (priority < 500): a handler that returns a template name stops the later ones
    app.connect("html-page-context", drop_repeated_scripts, priority=100)
    # late (after myst-nb's, which adds the widget scripts, at 500)
    app.connect("html-page-context", drop_unused_widget_scripts, priority=900)
    app.connect("html-page-context", fix_markup, priority=900)
    app.connect("build-finished", write_cjk_font)
    app.connect("build-finished", shrink_images)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
