"""Reading records: list and detail queries, links, dossiers, duplicates, merge, audit reads; `kinds/` holds one
module per record kind. Imports store, geo and models.
"""
