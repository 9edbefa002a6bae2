"""execdocs: diagrams from Python code and command snippets checked against captured output.

The core (``problems``, ``diagrams/``, ``snippets/``, ``capture/``) never imports MkDocs;
``mkdocs_plugin``, ``pytest_plugin`` and ``cli`` are thin adapters over it.
"""

__version__ = "0.1.0"
