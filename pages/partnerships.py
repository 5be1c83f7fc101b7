"""partnerships: list, search and filters."""

from crm.ui.records import record_list

record_list("partnerships")
