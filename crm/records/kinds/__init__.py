"""One module per record kind: its form spec, choices and list columns (the registry entry itself is
`crm.models.kinds`).
"""
