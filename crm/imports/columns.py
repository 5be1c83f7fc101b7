"""Which columns each record kind takes from a spreadsheet, how headers map to them, and templates.

A column has a target (a field of the kind, or a pseudo-field such as "name", resolved by
script), a value type and the header spellings it answers to in English and Chinese.
"""

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from crm.models.kinds import KINDS
from crm.text import fold

IMPORT_KINDS = tuple(KINDS)  # every kind can be imported: its columns are below


@dataclass(frozen=True)
class Column:
    target: str  # a field of the kind, or "name" (→ name_en / name_zh by script)
    type: str  # text | date | year | int | count | float | bool | country | city | org | choice:<set>
    aliases: tuple[str, ...]
    example: str = ""


def _c(target: str, type_: str, aliases: str, example: str = "") -> Column:
    return Column(target, type_, tuple(a.strip() for a in aliases.split("|") if a.strip()), example)


NAME = _c("name", "text", "name|名稱|名字")
NAME_EN = _c("name_en", "text", "english name|name english|name_en|英文名稱|英文名|英文|名稱英文|英文姓名|姓名英文")
NAME_ZH = _c("name_zh", "text", "chinese name|name chinese|name_zh|中文名稱|中文名|中文|名稱中文|中文姓名|姓名中文")
NATIVE = _c("name_native", "text", "native name|local name|original name|name_native|原文名稱|原文|當地名稱|當地語言")
COUNTRY = _c("country_code", "country", "country|nation|iso2|country code|國家|國別|國家地區|國家/地區|國籍|國家代碼",
             "Czechia / 捷克 / CZ")
NOTES = _c("notes", "text", "notes|note|remarks|comment|comments|備註|說明|附註")
TITLE_EN = _c("title_en", "text", "title|english title|title_en|event|subject|名稱英文|英文名稱|英文標題|活動名稱英文")
TITLE_ZH = _c("title_zh", "text", "chinese title|title_zh|名稱中文|標題|活動名稱|名稱|事由|會議名稱|中文標題|中文名稱")
START = _c("start_on", "date", "date|start|start date|from|日期|開始日期|起始日期|起日|時間|來訪日期|出訪日期|會議日期",
           "民國109年1月13日 / 2020-01-13")
END = _c("end_on", "date", "end|end date|to|until|結束日期|迄日|終止日期|截止日期")
STATUS = _c("status", "choice:status", "status|state|狀態|辦理狀態")
HEADCOUNT = _c("headcount", "count", "headcount|people|number of people|persons|size|人數|團員人數|總人數|來訪人數",
               "約53人")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "cities": (
        _c("name", "text", "city|city name|name|城市|城市名稱|名稱|市|都市", "Prague / 布拉格"),
        NAME_EN, NAME_ZH, NATIVE, COUNTRY,
        _c("admin_area", "text", "state|province|region|admin area|州|省|州省|行政區"),
        _c("latitude", "float", "latitude|lat|緯度"), _c("longitude", "float", "longitude|lon|lng|long|經度"),
        _c("population", "int", "population|人口"), NOTES,
    ),
    "organisations": (
        _c("name", "text", "organisation|organization|name|institution|agency|機構|機關|單位|組織|名稱|機構名稱|單位名稱"),
        NAME_EN, NAME_ZH, NATIVE,
        _c("acronym", "text", "acronym|abbreviation|short name|縮寫|簡稱"),
        _c("kind", "choice:org_kind", "type|kind|category|類型|類別|性質"), COUNTRY,
        _c("city_id", "city", "city|城市|所在城市|所在地"),
        _c("website", "text", "website|web|url|網站|網址"), _c("email", "text", "email|e-mail|電子郵件|信箱|電郵"),
        _c("phone", "text", "phone|telephone|tel|電話|聯絡電話"), _c("address", "text", "address|地址"), NOTES,
    ),
    "people": (
        _c("name", "text", "name|full name|person|contact|姓名|名字|聯絡人|人名"),
        NAME_EN, NAME_ZH, NATIVE,
        _c("title", "text", "title|position|job title|post|職稱|職位|職務|頭銜", "Mayor / 市長"),
        _c("title_en", "text", "english title|title (english)|英文職稱"),
        _c("title_zh", "text", "chinese title|title (chinese)|中文職稱"),
        _c("organisation_id", "org", "organisation|organization|institution|agency|employer|機構|單位|服務單位|機關|組織"),
        _c("city_id", "city", "city|城市"), COUNTRY,
        _c("email", "text", "email|e-mail|電子郵件|信箱|電郵"), _c("phone", "text", "phone|telephone|tel|電話|手機"),
        _c("address", "text", "address|地址"),
        _c("form_of_address", "text", "form of address|salutation|honorific|稱謂|尊稱"),
        _c("is_dignitary", "bool", "dignitary|vip|貴賓|政要"), NOTES,
    ),
    "partnerships": (
        _c("city_id", "city", "city|partner city|sister city|城市|締盟城市|姊妹市|夥伴城市|市名", "Prague / 布拉格"),
        COUNTRY,
        _c("kind", "choice:partnership_kind", "type|kind|relationship|類型|類別|關係|締盟類型", "sister / 姊妹市"),
        _c("status", "choice:status", "status|狀態"),
        _c("established_on", "date", "established|date established|signed|signed on|締結日期|締盟日期|簽約日期|締約日期"),
        _c("established_year", "year", "year|year established|year_established|締結年|締盟年|締盟年份|年份|年度"),
        _c("council_approved_on", "date", "council approval|council approved|議會通過|議會同意日期|市議會通過日期"),
        _c("title_en", "text", "english title|title"), _c("title_zh", "text", "中文名稱|名稱"), NOTES,
    ),
    "agreements": (
        TITLE_EN, TITLE_ZH, _c("topic", "text", "topic|field|area|領域|主題|合作領域"),
        _c("counterpart_city_id", "city", "city|counterpart city|城市|對象城市|簽約城市"), COUNTRY,
        _c("counterpart_org_id", "org", "organisation|organization|counterpart|機構|對象機構|簽約單位"),
        _c("signed_on", "date", "signed|signed on|date|date signed|簽署日期|簽約日期|日期"),
        _c("valid_until", "date", "valid until|expires|expiry|有效期限|到期日"),
        _c("status", "choice:status", "status|狀態"), _c("mode", "choice:signing_mode", "mode|signing mode|簽署方式"),
        NOTES,
    ),
}

STATUS_REASON = _c("status_reason", "text", "reason|status reason|原因|延期原因|取消原因|異動原因", "COVID-19")
_EVENT_COMMON = (TITLE_EN, TITLE_ZH, START, END, STATUS, STATUS_REASON, NOTES)
COLUMNS.update({
    "visits": _EVENT_COMMON + (
        HEADCOUNT, COUNTRY, _c("origin_city_id", "city", "city|from city|origin|城市|來自城市|來訪城市"),
        _c("organisation_id", "org", "organisation|organization|institution|機構|單位|來訪單位|團體"),
        _c("leader_name", "text", "leader|head|guest|name|姓名|團長|貴賓|來賓|領隊|貴賓姓名"),
        _c("leader_title", "text", "leader title|position|職稱|職位"),
        _c("host", "text", "host|received by|接待|接見|接待人"), _c("purpose", "text", "purpose|目的|來訪目的"),
    ),
    "delegations": _EVENT_COMMON + (
        HEADCOUNT, _c("leader_name", "text", "leader|led by|團長|率團|領隊"),
        _c("leader_title", "text", "leader title|職稱"),
        _c("dignitaries_count", "int", "dignitaries|dignitaries met|會晤政要|拜會人數"),
        _c("purposes", "text", "purpose|purposes|目的|出訪目的"), _c("outcomes", "text", "outcomes|results|成果"),
    ),
    "conferences": _EVENT_COMMON + (
        _c("mode", "choice:meeting_mode", "mode|format|形式|方式"), _c("topic", "text", "topic|主題|議題"),
        _c("organiser_org_id", "org", "organiser|organizer|host organisation|主辦單位|主辦"),
        _c("organiser_city_id", "city", "city|host city|城市|主辦城市"),
        _c("participant_cities_count", "int", "cities|participating cities|參與城市數"),
        _c("our_role", "text", "our role|role|角色"),
    ),
    "forums": _EVENT_COMMON + (
        _c("counterpart_city_id", "city", "city|counterpart city|城市|對象城市"),
        _c("mode", "choice:meeting_mode", "mode|format|形式"), _c("theme", "text", "theme|主題"),
        _c("participants_count", "int", "participants|參與人數|人數"),
    ),
    "exchanges": _EVENT_COMMON + (
        _c("counterpart_city_id", "city", "city|counterpart city|城市|對象城市"),
        _c("description", "text", "description|內容|說明"),
    ),
    "meetings": _EVENT_COMMON + (
        _c("meeting_number", "int", "number|meeting number|次|屆次|會次"), _c("chair", "text", "chair|主席"),
    ),
    "letters": _EVENT_COMMON + (
        _c("sender", "text", "sender|from|發文者|寄件人"), _c("summary", "text", "summary|摘要|內容"),
        _c("link", "text", "link|url|連結"), _c("cities_reached", "int", "cities reached|城市數"),
        _c("missions_reached", "int", "missions reached|駐華機構數"),
    ),
})


def label_key(label: str) -> str:
    """A header reduced for matching: folded, without spaces, punctuation or a unit in brackets."""
    folded = fold(label)
    folded = re.sub(r"[（(][^)）]*[)）]$", "", folded) or folded
    return re.sub(r"[\s_\-:：/.*#＊]+", "", folded)


@lru_cache(maxsize=32)
def _alias_index(kind_name: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS[kind_name]:
        index.setdefault(label_key(column.target), column.target)
        for alias in column.aliases:
            index.setdefault(label_key(alias), column.target)
    return index


@lru_cache(maxsize=4096)
def match_label(kind_name: str, label: str) -> str | None:
    """The target a header names for `kind_name` (tries the joined label, then each half), or None."""
    index = _alias_index(kind_name)
    words = label.split()
    candidates = [label, words[0], " ".join(words[1:]), *words[1:]] if len(words) > 1 else [label]
    for candidate in candidates:
        target = index.get(label_key(candidate))
        if target:
            return target
    return None


def auto_map(kind_name: str, headers: list[str]) -> dict[str, str | None]:
    """Header → target for every column; a target claimed twice keeps its first column."""
    mapping, taken = {}, set()
    for header in headers:
        target = match_label(kind_name, header)
        if target in taken:
            target = None
        if target:
            taken.add(target)
        mapping[header] = target
    return mapping


def any_kind_scorer(kind_name: str | None):
    """For header detection: the column a cell names (for the kind, or for any kind), else None."""
    kinds = [kind_name] if kind_name else list(COLUMNS)

    def score(label: str) -> str | None:
        return next((f"{k}.{t}" for k in kinds if (t := match_label(k, label))), None)

    return score


@lru_cache(maxsize=1024)
def column_of(kind_name: str, target: str) -> Column:
    return next(c for c in COLUMNS[kind_name] if c.target == target)


def targets(kind_name: str) -> list[str]:
    return [c.target for c in COLUMNS[kind_name]]


def template_csv(kind_name: str) -> bytes:
    """An empty sheet for `kind_name`: one header row, each column named in Chinese and English
    (UTF-8 with BOM, so Excel opens it right)."""
    out = io.StringIO()
    csv.writer(out).writerow(template_headers(kind_name))
    return out.getvalue().encode("utf-8-sig")


def template_headers(kind_name: str) -> list[str]:
    headers = []
    for column in COLUMNS[kind_name]:
        english = next((a for a in column.aliases if a.isascii()), column.target)
        chinese = next((a for a in column.aliases if not a.isascii()), "")
        headers.append(f"{chinese} {english.title()}".strip() if chinese else english.title())
    return headers
