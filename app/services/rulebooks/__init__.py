"""一细则: the rulebook and per-item guides, versioned; the document templates in force."""
