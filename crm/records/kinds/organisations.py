"""Organisations: international organisations, foreign missions, universities, city governments."""

from crm.models.kinds import ORGANISATION_KINDS
from crm.records.formspec import NOTES, F, FormSpec, Section
from crm.records.import_columns import ADDRESS, COUNTRY, EMAIL, NAME_EN, NAME_ZH, NATIVE, NOTES_COLUMN, column

KIND = F("kind", "choice", choices=ORGANISATION_KINDS, prefix="org_kind")

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    column("name", "text", "organisation|organization|name|institution|agency|機構|機關|單位|組織|名稱|機構名稱|單位名稱"),
    NAME_EN, NAME_ZH, NATIVE,
    column("acronym", "text", "acronym|abbreviation|short name|縮寫|簡稱"),
    column("kind", "choice:org_kind", "type|kind|category|類型|類別|性質"), COUNTRY,
    column("city_id", "city", "city|城市|所在城市|所在地"),
    column("website", "text", "website|web|url|網站|網址"), EMAIL,
    column("phone", "text", "phone|telephone|tel|電話|聯絡電話"), ADDRESS, NOTES_COLUMN,
)

SPEC = FormSpec(
    kind="organisations",
    sections=(
        Section("rec.section.names", (F("name_zh"), F("name_en"), F("name_native"), F("acronym"), KIND,
                                      F("country_code", "country"), F("city_id", "ref", ref="cities"))),
        Section("rec.section.contact", (F("website"), F("email"), F("phone"), F("address"))),
        NOTES,
    ),
    list_columns=("acronym", "kind", "country_code", "city_id"),
    document_columns=("name_zh", "name_en", "acronym", "kind", "city_id", "country_code", "website"),
    import_columns=IMPORT_COLUMNS,
    kind_filter=KIND,
    sort_fields=("name_en", "name_zh", "kind", "id"),
    duplicates=True,
)
