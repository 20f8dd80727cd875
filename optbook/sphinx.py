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

Enabled in ``_config.yml`` under ``sphinx: extra_extensions``. Sphinx imports this module;
``import optlib`` and ``import optbook`` do not.
"""

from __future__ import annotations

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


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", drop_vendored_files)
    # early (priority < 500): a handler that returns a template name stops the later ones
    app.connect("html-page-context", drop_repeated_scripts, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
