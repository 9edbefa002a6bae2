"""execdocs: diagrams from Python code and command snippets checked against captured output.

Cores (no engine import): ``snippets/``, ``diagrams/``, ``capture/``, ``site/`` and the shared
``problems``, ``secrets``, ``paths``, ``atomic``. Adapters: ``mkdocs/`` (the one config schema,
the MkDocs/ProperDocs plugin), ``cli/`` (``execdocs`` command) and ``pytest_plugin``. The
layering is checked by import-linter (pyproject.toml); ARCHITECTURE.md describes it.

The public API below is what other tools may import; everything else may change.
"""

from execdocs.diagrams.render import DiagramRenderer, Settings
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets.check import Options, Report, check_project
from execdocs.snippets.project import check_files

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
