"""Where a form keeps its state: one widget-key prefix per *opening* of a form, never reused.

Streamlit forgets a widget's value once a run finishes without drawing it (the user went back to
the list, to another record, to another page). A form that kept its keys and a "seeded" mark across
that gap came back with every widget at its default — today's date, 0, "(none)" — and saved them.
So every opening gets fresh keys: a new record's form `f-<kind>-new-<n>`, an edit form
`f-<kind>-<id>-v<version>[-<n>]` (the version it was opened on, used for the lost-update check).
An opening ends when Streamlit dropped its widgets (its Save button is gone from session state),
when it was saved, or when the record changed under it by this user (status, delete, restore).
"""

from dataclasses import dataclass

import streamlit as st

OPENINGS = "_form_openings"  # slot ("visits:new", "visits:12") -> Opening
COUNTERS = "_form_counters"  # slot -> how many openings it had


@dataclass(frozen=True)
class Opening:
    prefix: str
    version: int | None  # the stored version the edit form started from (None: a new record)

    @property
    def sentinel(self) -> str:
        """A widget every drawn form has: gone from session state once Streamlit dropped the form."""
        return f"{self.prefix}-save"

    @property
    def seeded(self) -> str:
        return f"{self.prefix}-seeded"


def _slot(kind: str, record: dict | None) -> str:
    return f"{kind}:{'new' if record is None else record['id']}"


def _prefix(kind: str, record: dict | None, number: int) -> str:
    if record is None:
        return f"f-{kind}-new-{number}"
    base = f"f-{kind}-{record['id']}-v{record['version']}"
    return base if number == 0 else f"{base}-{number}"


def _drop_keys(prefix: str) -> None:
    state = st.session_state
    for key in [k for k in state if isinstance(k, str) and (k == prefix or k.startswith(prefix + "-"))]:
        del state[key]


def opening(kind: str, record: dict | None) -> tuple[Opening, bool]:
    """The form's current opening and whether it has just been opened (its state must be seeded)."""
    state = st.session_state
    openings: dict[str, Opening] = state.setdefault(OPENINGS, {})
    slot = _slot(kind, record)
    current = openings.get(slot)
    if current is not None and current.seeded in state and current.sentinel not in state:
        close(kind, None if record is None else record["id"])  # Streamlit dropped its widgets: reopen afresh
        current = None
    if current is None:
        counters: dict[str, int] = state.setdefault(COUNTERS, {})
        number = counters.get(slot, 0)
        counters[slot] = number + 1
        current = Opening(_prefix(kind, record, number), None if record is None else record["version"])
        openings[slot] = current
    fresh = current.seeded not in state
    state[current.seeded] = True
    return current, fresh


def close(kind: str, record_id: int | None) -> None:
    """End the opening of a form (after a save, or when the record changed): the next one starts anew."""
    openings: dict[str, Opening] = st.session_state.get(OPENINGS, {})
    slot = f"{kind}:{'new' if record_id is None else record_id}"
    current = openings.pop(slot, None)
    if current is not None:
        _drop_keys(current.prefix)


def opened_version(kind: str, record_id: int) -> int | None:
    """The stored version the record's open edit form started from (for the lost-update check)."""
    found = st.session_state.get(OPENINGS, {}).get(f"{kind}:{record_id}")
    return found.version if found else None


def current_prefix(kind: str, record_id: int | None = None) -> str | None:
    """The key prefix of the form open for a record (tests and the browser journey read it)."""
    found = st.session_state.get(OPENINGS, {}).get(f"{kind}:{'new' if record_id is None else record_id}")
    return found.prefix if found else None
