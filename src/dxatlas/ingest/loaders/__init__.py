"""File-format loaders; each registers itself on the default registry."""
