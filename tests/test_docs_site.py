"""The docs site (mkdocs.yml) builds with ``mkdocs build --strict``, offline, from docs/, with an
API reference from the docstrings and the notebooks rendered with their figures.

The site is built once per module into a temporary folder, from the notebooks the test session
has executed (tests/notebook_runs.py, shared with tests/test_notebooks.py), so mkdocs-jupyter
does not run them again (``AISIM_DOCS_EXECUTE=false``). Skipped when the ``docs`` extra is not
installed.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.notebook_runs import NOTEBOOKS, executed, figure_cells

for _module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python",
                "mkdocs_jupyter", "nbclient", "nbformat"):
    pytest.importorskip(_module, reason="the docs extra: pip install -e '.[docs]'")

DOC_PAGES = sorted(p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*.md"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
INLINE_PNG = re.compile(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
# anything the browser would fetch from elsewhere: scripts, styles, images, fonts, frames
REMOTE_ASSET = re.compile(
    r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(?:https?:)?//[^"]*"'
    r'|<link\b[^>]*\bhref="(?:https?:)?//[^"]*"[^>]*>'
    r"|@import\s+url\(\s*['\"]?(?:https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import nbformat

    work = tmp_path_factory.mktemp("docs")
    (work / "notebooks").mkdir()
    for path in NOTEBOOKS:
        nbformat.write(executed(path), work / "notebooks" / path.name)
    out = work / "site"
    env = {**os.environ, "AISIM_DOCS_EXECUTE": "false", "AISIM_DOCS_NOTEBOOKS_ROOT": str(work),
           "NO_MKDOCS_2_WARNING": "1"}
    # cwd: mkdocs-jupyter's cache (.cache/) goes to the temporary folder, not the checkout
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr[-6000:]}"
    return out


def page(site: Path, name: str) -> str:
    path = site / name
    assert path.is_file(), f"{name}: not in the built site"
    return path.read_text(encoding="utf-8")


def test_every_docs_page_is_built(site):
    for md in DOC_PAGES:
        html = page(site, str(md.with_suffix(".html")))
        assert "<h1" in html, md
    home = page(site, "index.html")
    for target in ("getting-started.html", "model.html", "api/index.html",
                   "notebooks/01_quickstart.html"):
        assert f'href="{target}"' in home, f"home page has no link to {target}"


def test_api_reference_of_sim_run(site):
    import sim

    html = page(site, "api/run.html")
    assert 'id="sim.run"' in html and 'id="sim.load_scenario"' in html
    text = re.sub(r"<[^>]+>", "", html)
    for parameter in ("draws", "seed", "sampler", "chunk_size", "overrides"):
        assert parameter in text, parameter
    assert sim.run.__doc__.splitlines()[0] in text  # the docstring itself


def test_api_docstrings_rendered_as_markdown(site):
    # the reStructuredText roles of the docstrings become links (docs/tools/griffe_rst_roles.py)
    for path in sorted((site / "api").glob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r":(func|class|mod|meth|attr|data):`", html), path.name
    accessor = page(site, "api/accessor.html")
    assert 'href="plot.html#sim.present.plot.fan"' in accessor  # :func:`sim.present.plot.fan`
    assert 'id="sim.present.accessor.AisimAccessor.fan"' in accessor


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_rendered_with_its_figures(site, path):
    html = page(site, f"notebooks/{path.stem}.html")
    images = INLINE_PNG.findall(html)
    expected = len(figure_cells(executed(path)))
    assert expected > 0 and len(images) >= expected, (path.name, len(images), expected)
    for data in images:
        assert base64.b64decode(data)[:8] == PNG_MAGIC
    assert "Traceback" not in html and "CellExecutionError" not in html


def test_site_needs_no_network(site):
    # the theme's assets, search and the notebook styles are all served from the site itself
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".css", ".js"}:
            match = REMOTE_ASSET.search(path.read_text(encoding="utf-8", errors="replace"))
            assert match is None, f"{path.relative_to(site)}: fetches {match.group(0)[:120]}"
    assert (site / "search" / "search_index.json").is_file()


def test_rst_roles_become_optional_cross_references():
    spec = importlib.util.spec_from_file_location(
        "griffe_rst_roles", ROOT / "docs" / "tools" / "griffe_rst_roles.py")
    assert spec is not None and spec.loader is not None
    roles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(roles)
    assert roles.to_markdown(":func:`sim.run`") == (
        '<autoref identifier="sim.run" optional><code>sim.run</code></autoref>')
    assert roles.to_markdown(":class:`~sim.scenario.loader.LoadedScenario`") == (
        '<autoref identifier="sim.scenario.loader.LoadedScenario" optional>'
        "<code>LoadedScenario</code></autoref>")
    assert roles.to_markdown(":func:`run`", module="sim.runner.engine") == (
        '<autoref identifier="sim.runner.engine.run" optional><code>run</code></autoref>')
    assert roles.to_markdown(":mod:`the plots <sim.present.plot>`") == (
        '<autoref identifier="sim.present.plot" optional><code>the plots</code></autoref>')
    assert roles.to_markdown("Registered on import::\n\n    x") == "Registered on import:\n\n    x"
    assert roles.to_markdown("a ``literal`` stays") == "a ``literal`` stays"
