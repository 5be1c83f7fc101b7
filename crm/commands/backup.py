"""`python -m crm backup FILE`: back up the database, signed (no prompt; for cron)."""

HELP = ("back up the database to FILE, readable by its owner only (0600) and signed (FILE.sig); "
        "the name sets the format: .db = SQLite copy, .jsonl / .jsonl.gz = JSON-lines dump (gzip)")
EPILOG = ("FILE's name sets the format: .db/.sqlite/.sqlite3 = an online SQLite copy (SQLite databases only); "
          ".jsonl = a portable JSON-lines dump, .jsonl.gz = the same, gzip-compressed (SQLite or PostgreSQL). "
          "Another name takes --format, else sqlite for a SQLite database and jsonl for PostgreSQL. "
          "The signature (FILE.sig, HMAC-SHA256) uses LIAISON_BACKUP_KEY, else the key file backup.key in the data "
          "directory (LIAISON_DATA_DIR, default data/), created 0600 on the first backup: keep a copy of it away "
          "from the backups; `restore` checks it.")


def add_arguments(parser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("file", help="where to write the backup (replaced atomically; its name sets the format)")
    parser.add_argument("--format", choices=["sqlite", "jsonl"], default=None,
                        help="for a name without .db/.jsonl/.jsonl.gz: sqlite or jsonl (it must agree with the name)")


def _progress():
    """A progress line on the terminal (stderr), rewritten in place; None when stderr is not a terminal (cron)."""
    import sys

    if not sys.stderr.isatty():
        return None
    def show(what: str, rows: int) -> None:
        if rows < 0:  # a table done
            sys.stderr.write(f"\r\x1b[K{what}: done")
        else:
            sys.stderr.write(f"\r\x1b[K{what}: {rows} {'chunks' if what in ('files', 'filechunk') else 'rows'}")
        sys.stderr.flush()

    return show


def run(args) -> int:
    import sys

    from crm.commands.cli import CliError
    from crm.store.backup import BackupError, backup
    from crm.store.backup_key import signature_path

    progress = _progress()
    try:
        info = backup(args.file, fmt=args.format, progress=progress)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
    assert info.key is not None  # every backup is signed
    created = f"; new key {info.key.source} (0600): keep a copy away from the backups" if info.key.created else ""
    print(f"backup written: {info.path} ({info.fmt}, schema {info.revision}, {info.rows} rows), 0600, "
          f"signed {signature_path(info.path).name} with key {info.key.key_id}{created}")
    return 0
