"""Picker labels for the briefings page: events newest first with their date; people and cities by name.

Kept per data version (crm.store.cache) as a small id → label dict, so a rerun of the page copies 200 short
strings rather than 200 full list rows.
"""

from crm.i18n import date_text
from crm.records.names import display_name
from crm.records.queries import list_records, options
from crm.store.cache import cached


@cached  # plain data, re-read after any write (crm.store.cache)
def pick_labels(kind: str, lang: str, q: str = "") -> dict[int, str]:
    """id → label of the records of `kind` matching `q` (events: at most 200, newest first, dated)."""
    if kind in ("cities", "people"):
        return options.uncached(kind, lang, q=q)
    rows = list_records.uncached(kind, q=q, sort="start_on", descending=True, page_size=200).rows
    return {r["id"]: f"{date_text(r['start_on'], lang)} {display_name(kind, r, lang)}".strip() for r in rows}
