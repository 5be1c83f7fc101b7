"""Files and photos on records: type checks, storage (database or file store), thumbnails, the write path."""
