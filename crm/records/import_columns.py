"""The columns a spreadsheet import reads, as a kind module declares them (`FormSpec.import_columns`).

A column has a target (a field of the kind, or a pseudo-field such as "name", resolved by script), a value
type and the header spellings it answers to in English and Chinese. The columns many kinds share are here;
`crm.imports.columns` builds the import's table from the kinds (and derives the columns of a kind that
declares none from its form's fields).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    target: str  # a field of the kind, or "name" (→ name_en / name_zh by script), "title" (→ title_en / title_zh)
    type: str  # text | date | year | int | count | float | bool | country | city | org | choice:<set>
    aliases: tuple[str, ...]
    example: str = ""


def column(target: str, type_: str, aliases: str, example: str = "") -> Column:
    """A column from its aliases written as one string, "city|城市|所在城市"."""
    return Column(target, type_, tuple(a.strip() for a in aliases.split("|") if a.strip()), example)


NAME = column("name", "text", "name|名稱|名字")
NAME_EN = column("name_en", "text", "english name|name english|name_en|英文名稱|英文名|英文|名稱英文|英文姓名|姓名英文")
NAME_ZH = column("name_zh", "text", "chinese name|name chinese|name_zh|中文名稱|中文名|中文|名稱中文|中文姓名|姓名中文")
NATIVE = column("name_native", "text", "native name|local name|original name|name_native|原文名稱|原文|當地名稱|當地語言")
COUNTRY = column("country_code", "country", "country|nation|iso2|country code|國家|國別|國家地區|國家/地區|國籍|國家代碼",
                 "Czechia / 捷克 / CZ")
NOTES_COLUMN = column("notes", "text", "notes|note|remarks|comment|comments|備註|說明|附註")
TITLE_EN = column("title_en", "text", "title|english title|title_en|event|subject|名稱英文|英文名稱|英文標題|活動名稱英文")
TITLE_ZH = column("title_zh", "text", "chinese title|title_zh|名稱中文|標題|活動名稱|名稱|事由|會議名稱|中文標題|中文名稱")
START = column("start_on", "date", "date|start|start date|from|日期|開始日期|起始日期|起日|時間|來訪日期|出訪日期|會議日期",
               "民國109年1月13日 / 2020-01-13")
END = column("end_on", "date", "end|end date|to|until|結束日期|迄日|終止日期|截止日期")
STATUS = column("status", "choice:status", "status|state|狀態|辦理狀態")
HEADCOUNT = column("headcount", "count", "headcount|people|number of people|persons|size|人數|團員人數|總人數|來訪人數",
                   "約53人")
EMAIL = column("email", "text", "email|e-mail|電子郵件|信箱|電郵")
ADDRESS = column("address", "text", "address|地址")

STATUS_REASON = column("status_reason", "text", "reason|status reason|原因|延期原因|取消原因|異動原因", "COVID-19")
EVENT_COMMON = (TITLE_EN, TITLE_ZH, START, END, STATUS, STATUS_REASON, NOTES_COLUMN)  # every event kind's first columns

SHARED = {c.target: c for c in (NAME_EN, NAME_ZH, NATIVE, COUNTRY, NOTES_COLUMN, TITLE_EN, TITLE_ZH, START, END, STATUS,
                                HEADCOUNT, EMAIL, ADDRESS)}
"""Field → its shared column: what a kind whose columns are derived from its form takes for these fields."""
