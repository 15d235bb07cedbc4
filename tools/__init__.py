"""Build tools for the extension: its icons and the Chrome Web Store package (no network)."""
