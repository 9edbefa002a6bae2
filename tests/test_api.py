"""The public API: what ``execdocs.__all__`` promises is importable and is what it says."""

from __future__ import annotations

import subprocess
import sys

import execdocs


def test_every_public_name_is_there() -> None:
    assert sorted(execdocs.__all__) == sorted(set(execdocs.__all__))
    for name in execdocs.__all__:
        assert getattr(execdocs, name) is not None, name
    assert execdocs.Problem("docs/a.md", 3, "x").format() == "docs/a.md:3: x"


def test_the_package_is_typed_and_imports_no_engine() -> None:
    # py.typed ships with the package (PEP 561), and importing the public API loads no MkDocs:
    # the cores stay usable under another engine (Zensical) or none.
    from importlib.resources import files

    assert files("execdocs").joinpath("py.typed").is_file()
    probe = "import sys, execdocs; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
            "('mkdocs', 'material', 'properdocs', 'pytest')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
