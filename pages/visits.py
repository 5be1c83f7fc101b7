"""visits: list, record (?id=) with its links and history, create form (?new=1)."""

from crm.ui.records import record_page

record_page("visits")
