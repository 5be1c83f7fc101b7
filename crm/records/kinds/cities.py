"""Cities: the form (names in three scripts, country, coordinates from the gazetteer or by hand)."""

from crm.records.formspec import NOTES, F, FormSpec, Section

SPEC = FormSpec(
    kind="cities",
    sections=(
        Section("rec.section.names", (F("name_zh"), F("name_en"), F("name_native"), F("country_code", "country"),
                                      F("admin_area"), F("population", "int"))),
        NOTES,
    ),
    list_columns=("country_code", "admin_area", "coord_source"),
    sort_fields=("name_en", "name_zh", "country_code", "id"),
    duplicates=True,
)
