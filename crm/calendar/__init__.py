"""The calendar: every dated activity by source (crm.calendar.sources), month/week grids and private feeds."""
