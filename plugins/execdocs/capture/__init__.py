"""capture core (no MkDocs import)."""
