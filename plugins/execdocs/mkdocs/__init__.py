"""MkDocs/ProperDocs adapters: the one config schema (``config``), the plugin (``plugin``), one
thin adapter per feature (``diagrams``, ``snippets``, ``site``) and the counting logger."""
