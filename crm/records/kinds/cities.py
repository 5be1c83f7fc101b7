"""Cities: the form (names in three scripts, country, coordinates from the gazetteer or by hand)."""

from crm.records.formspec import NOTES, F, FormSpec, Section
from crm.records.import_columns import COUNTRY, NAME_EN, NAME_ZH, NATIVE, NOTES_COLUMN, column

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    column("name", "text", "city|city name|name|城市|城市名稱|名稱|市|都市", "Prague / 布拉格"),
    NAME_EN, NAME_ZH, NATIVE, COUNTRY,
    column("admin_area", "text", "state|province|region|admin area|州|省|州省|行政區"),
    column("latitude", "float", "latitude|lat|緯度"), column("longitude", "float", "longitude|lon|lng|long|經度"),
    column("population", "int", "population|人口"), NOTES_COLUMN,
)

SPEC = FormSpec(
    kind="cities",
    sections=(
        Section("rec.section.names", (F("name_zh"), F("name_en"), F("name_native"), F("country_code", "country"),
                                      F("admin_area"), F("population", "int"))),
        NOTES,
    ),
    list_columns=("country_code", "admin_area", "population"),
    document_columns=("name_zh", "name_en", "name_native", "country_code", "admin_area", "population"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("name_en", "name_zh", "country_code", "id"),
    duplicates=True,
)
