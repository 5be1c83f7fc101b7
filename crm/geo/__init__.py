"""Places: the offline gazetteer, coordinates, countries, map geometry and the reference data seeded on first
run. Imports store and models.
"""
