"""snippets core (no MkDocs import)."""
