"""Social cards: layout (where text goes), draw (Pillow), cache (by content hash)."""
