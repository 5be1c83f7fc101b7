"""One module per `python -m crm` command (see crm.commands.cli)."""

from crm.store.engine import ensure_ready, get_engine


def ready_engine():
    """The configured database, migrated (raises DatabaseUnavailable when unreachable)."""
    return ensure_ready(get_engine())
