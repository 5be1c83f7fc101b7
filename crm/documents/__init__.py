"""Documents: list exports (CSV, Excel, Word, PDF), fonts, calendar/vCard, briefings and the half-year report.
Imports views, records, geo, store, models.
"""
