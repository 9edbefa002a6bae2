"""execdocs: diagrams from Python code and command snippets checked against captured output.

Cores (no engine import): ``snippets/``, ``diagrams/``, ``capture/``, ``site/`` and the shared
``problems``, ``secrets``, ``paths``, ``atomic``. Adapters: ``mkdocs/`` (the one config schema,
the MkDocs/ProperDocs plugin), ``cli/`` (``execdocs`` command) and ``pytest_plugin``. The
layering is checked by import-linter (pyproject.toml); ARCHITECTURE.md describes it.

The public API below is what other tools may import; everything else may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from execdocs.problems import ExecDocsError, Problem

if TYPE_CHECKING:
    from execdocs.diagrams.render import DiagramRenderer, Settings
    from execdocs.snippets.check import Options, Report, check_project
    from execdocs.snippets.project import check_files

# Imported on first use (PEP 562): ``execdocs check`` answers from its cache without loading
# the diagram renderer or the check engine.
_LAZY = {
    "DiagramRenderer": "execdocs.diagrams.render",
    "Settings": "execdocs.diagrams.render",
    "Options": "execdocs.snippets.check",
    "Report": "execdocs.snippets.check",
    "check_project": "execdocs.snippets.check",
    "check_files": "execdocs.snippets.project",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'execdocs' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "DiagramRenderer",
    "ExecDocsError",
    "Options",
    "Problem",
    "Report",
    "Settings",
    "__version__",
    "check_files",
    "check_project",
]
