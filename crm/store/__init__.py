"""The store: engine and sessions, the one write path (single and bulk), validation, search keys, the read cache,
backup, file contents (`blobs.py`: database chunks or the file store). Imports models and the cross-cutting modules only.
"""
