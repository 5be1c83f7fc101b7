"""Importing spreadsheets: read, columns, rows, matching, preview, the on-disk spool, value normalisers and the
import flow. Imports records, geo, store, models.
"""
