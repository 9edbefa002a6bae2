"""Site features with no MkDocs import: Korean search index post-processing."""
