"""MkDocs hooks for the docs site (mkdocs.yml ``hooks:``).

The notebooks live in ``notebooks/`` beside ``docs/`` (where the tests and users run them), so
they are added to the site's files here, under ``notebooks/``, before mkdocs-jupyter turns them
into pages. ``AISIM_DOCS_NOTEBOOKS_ROOT`` names another folder whose ``notebooks/`` to take: the
test suite points it at notebooks it has already executed (tests/test_docs_site.py), so the site
gets their figures without running them a second time. The ``Notebooks`` section of the nav is
filled here too, with every notebook in file-name order, so a new notebook needs no nav entry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
NAV_SECTION = "Notebooks"


def _notebooks() -> tuple[Path, list[Path]]:
    root = Path(os.environ.get("AISIM_DOCS_NOTEBOOKS_ROOT") or ROOT)
    books = sorted((root / "notebooks").glob("*.ipynb"))
    if not books:
        raise FileNotFoundError(f"{root / 'notebooks'}: no notebooks (*.ipynb) for the docs site")
    return root, books


def on_config(config: Any) -> Any:
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and NAV_SECTION in entry:
            entry[NAV_SECTION] = [f"notebooks/{book.name}" for book in _notebooks()[1]]
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, which makes pages of .ipynb files
def on_files(files: Files, config: Any) -> Files:
    root, books = _notebooks()
    for book in books:
        # a File with a real src_dir (not File.generated): mkdocs-jupyter's wrapper reads it
        files.append(File(f"notebooks/{book.name}", src_dir=str(root),
                          dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    return files
