"""People (contacts): names in their own script, in English and in Chinese, a title and an organisation."""

from crm.records.formspec import NOTES, F, FormSpec, Section

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
    sort_fields=("name_en", "name_zh", "id"),
    duplicates=True,
)
