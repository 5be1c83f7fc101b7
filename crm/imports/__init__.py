"""Importing spreadsheets: limits and the workbook scan (checked before a file is parsed), read, columns, rows,
matching, preview, the on-disk spool, value normalisers and the import flow. Imports accounts (the size
setting), records, geo, store, models.
"""
