"""Organisations: international organisations, foreign missions, universities, city governments."""

from crm.models.kinds import ORGANISATION_KINDS
from crm.records.formspec import NOTES, F, FormSpec, Section

KIND = F("kind", "choice", choices=ORGANISATION_KINDS, prefix="org_kind")

SPEC = FormSpec(
    kind="organisations",
    sections=(
        Section("rec.section.names", (F("name_zh"), F("name_en"), F("name_native"), F("acronym"), KIND,
                                      F("country_code", "country"), F("city_id", "ref", ref="cities"))),
        Section("rec.section.contact", (F("website"), F("email"), F("phone"), F("address"))),
        NOTES,
    ),
    list_columns=("acronym", "kind", "country_code", "city_id"),
    kind_filter=KIND,
    sort_fields=("name_en", "name_zh", "kind", "id"),
    duplicates=True,
)
