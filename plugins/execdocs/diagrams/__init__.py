"""diagrams core (no MkDocs import)."""
