"""People (contacts): names in their own script, in English and in Chinese, a title and an organisation."""

from crm.records.formspec import NOTES, F, FormSpec, Section
from crm.records.import_columns import ADDRESS, COUNTRY, EMAIL, NAME_EN, NAME_ZH, NATIVE, NOTES_COLUMN, column

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    column("name", "text", "name|full name|person|contact|姓名|名字|聯絡人|人名"),
    NAME_EN, NAME_ZH, NATIVE,
    column("title", "text", "title|position|job title|post|職稱|職位|職務|頭銜", "Mayor / 市長"),
    column("title_en", "text", "english title|title (english)|英文職稱"),
    column("title_zh", "text", "chinese title|title (chinese)|中文職稱"),
    column("organisation_id", "org", "organisation|organization|institution|agency|employer|機構|單位|服務單位|機關|組織"),
    column("city_id", "city", "city|城市"), COUNTRY,
    EMAIL, column("phone", "text", "phone|telephone|tel|電話|手機"), ADDRESS,
    column("form_of_address", "text", "form of address|salutation|honorific|稱謂|尊稱"),
    column("is_dignitary", "bool", "dignitary|vip|貴賓|政要"), NOTES_COLUMN,
)

SPEC = FormSpec(
    kind="people",
    sections=(
        Section("rec.section.names", (F("name_zh"), F("name_en"), F("name_native"), F("form_of_address"),
                                      F("title_zh", label="rec.f.job_title_zh"), F("title_en", label="rec.f.job_title_en"),
                                      F("organisation_id", "ref", ref="organisations"),
                                      F("city_id", "ref", ref="cities"), F("country_code", "country"),
                                      F("is_dignitary", "bool"))),
        Section("rec.section.contact", (F("email"), F("phone"), F("address"), F("protocol_notes", "area"))),
        NOTES,
    ),
    list_columns=("title_en", "title_zh", "organisation_id", "country_code"),
    document_columns=("name_zh", "name_en", "title_zh", "title_en", "organisation_id", "city_id", "form_of_address",
                      "protocol_notes"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("name_en", "name_zh", "id"),
    duplicates=True,
)
