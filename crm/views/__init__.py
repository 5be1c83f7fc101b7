"""What leadership looks at: the counting rules, dashboard, timeline, map data and figures, the navigation.
Imports records, geo, store, models.
"""
