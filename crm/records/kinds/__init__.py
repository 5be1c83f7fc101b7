"""One module per record kind: its form spec, choices, list columns, Word/PDF list columns and import columns
(the registry entry itself is `crm.models.kinds`).
"""
