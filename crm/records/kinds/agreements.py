"""Agreements (MOUs): signed on a date, valid until another, often witnessed on a delegation."""

from datetime import date

from crm.models.kinds import AGREEMENT_STATUSES
from crm.records.formspec import NOTES, SIGN_MODE, F, FormSpec, Section, status_field
from crm.records.import_columns import COUNTRY, NOTES_COLUMN, TITLE_EN, TITLE_ZH, column

# the columns an import reads (header spellings in English and Chinese)
IMPORT_COLUMNS = (
    TITLE_EN, TITLE_ZH, column("topic", "text", "topic|field|area|領域|主題|合作領域"),
    column("counterpart_city_id", "city", "city|counterpart city|城市|對象城市|簽約城市"), COUNTRY,
    column("counterpart_org_id", "org", "organisation|organization|counterpart|機構|對象機構|簽約單位"),
    column("signed_on", "date", "signed|signed on|date|date signed|簽署日期|簽約日期|日期"),
    column("valid_until", "date", "valid until|expires|expiry|有效期限|到期日"),
    column("status", "choice:status", "status|狀態"), column("mode", "choice:signing_mode", "mode|signing mode|簽署方式"),
    NOTES_COLUMN,
)

SPEC = FormSpec(
    kind="agreements",
    sections=(
        Section("rec.section.names", (F("title_zh"), F("title_en"), F("topic"), status_field(AGREEMENT_STATUSES),
                                      F("counterpart_city_id", "ref", ref="cities"),
                                      F("counterpart_org_id", "ref", ref="organisations"))),
        Section("rec.section.dates", (F("signed_on", "date"), F("valid_until", "date"), SIGN_MODE,
                                      F("signed_place_city_id", "ref", ref="cities"))),
        Section("rec.section.links", (F("partnership_id", "ref", ref="partnerships"),
                                      F("delegation_id", "ref", ref="delegations"), F("visit_id", "ref", ref="visits"))),
        NOTES,
    ),
    list_columns=("counterpart_city_id", "topic", "signed_on", "valid_until", "status"),
    document_columns=("title_zh", "title_en", "topic", "counterpart_city_id", "signed_on", "valid_until", "status"),
    import_columns=IMPORT_COLUMNS,
    sort_fields=("signed_on", "valid_until", "id"),
)


def expiry_state(valid_until: date | str | None, today: date) -> str:
    """'none' | 'expired' | 'soon' (within 180 days) | 'valid' — shown next to an agreement."""
    if not valid_until:
        return "none"
    if isinstance(valid_until, str):
        valid_until = date.fromisoformat(valid_until[:10])
    if valid_until < today:
        return "expired"
    return "soon" if (valid_until - today).days <= 180 else "valid"
