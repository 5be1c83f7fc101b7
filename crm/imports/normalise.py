"""Value normalisers for imported spreadsheets: dates (ROC and Gregorian), counts, countries, choices.

Each normaliser takes whatever a cell held (str, int, float, date, datetime, None) and returns
a clean value or raises `Unreadable(key, params)` naming a catalog message. None of them
touches the database.
"""

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from crm.text import clean, fold

EXCEL_EPOCH = date(1899, 12, 30)
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_APPROX = re.compile(r"約|大約|左右|餘|多|余|approx\.?|about|around|ca\.?|circa|~|\+|≈|以上", re.I)
_ISO = re.compile(r"^(\d{1,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_COMPACT = re.compile(r"^(\d{3,4})(\d{2})(\d{2})$")
_ROC_PREFIX = re.compile(r"^(民國|民|中華民國|roc|r\.o\.c\.?)\s*", re.I)
# a time of day after a date ("2020-01-13 09:30", "2020-01-13T09:30:00+08:00"): checked, then left out
_TIME = re.compile(r"^(?P<day>.*?\d)(?:t|\s+)(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d{1,9})?)?"
                   r"\s*(?:z|[+-](?P<zh>\d{2}):?(?P<zm>\d{2}))?$")
_PLAIN_COUNT = re.compile(r"\d{1,3}(,\d{3})+|\d+")  # a number as written: 53, 1,200 (full-width digits folded)


class Unreadable(ValueError):
    """A cell that cannot be read as the expected type; `key`/`params` name the message."""

    def __init__(self, key: str, **params) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@lru_cache(maxsize=131072)
def _text_of(value: str) -> str:
    return clean(value.replace("\u3000", " "))


def text(value) -> str:
    """A cell as clean text: numbers without a spurious ".0", full-width spaces folded."""
    if value is None:
        return ""
    if type(value) is str:  # the common case; spreadsheets repeat their cells, so it is cached
        return _text_of(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return clean(str(value).replace("\u3000", " "))


def halfwidth(value: str) -> str:
    """Full-width digits, letters and punctuation as their ASCII forms (１０９／０１ → 109/01)."""
    return unicodedata.normalize("NFKC", value)


def is_blank(value) -> bool:
    if type(value) is str and value and value[0].isprintable() and not value[0].isspace():
        return False  # a visible first character survives `clean`: no need to clean the cell
    return text(value) == ""


def _year(y: int, roc: bool) -> int:
    if roc or y < 1000:
        return y + 1911
    return y


def _make(y: int, mth: int, d: int, raw: str) -> date:
    try:
        result = date(y, mth, d)
    except ValueError:
        raise Unreadable("import.bad_date", value=raw[:40]) from None
    if not 1900 <= result.year <= 2100:
        raise Unreadable("import.bad_date", value=raw[:40])
    return result


def _without_time(s: str, raw: str) -> str:
    """`s` without a time of day written after the date; an impossible time (25:61) is refused, not dropped."""
    m = _TIME.match(s)
    if m is None:
        return s
    hour, minute, second = int(m["h"]), int(m["m"]), int(m["s"] or 0)
    zone_ok = m["zh"] is None or (int(m["zh"]) <= 14 and int(m["zm"]) <= 59)
    if hour > 23 or minute > 59 or second > 59 or not zone_ok:
        raise Unreadable("import.bad_time", value=raw[:40])
    return m["day"]


def parse_date(value) -> date | None:
    """A date from ROC or Gregorian text (民國109年1月13日, 109/01/13, 109.1.13, 2020/1/13, 2020-01-13,
    13/01/2020, 1090113, 20200113), an Excel serial number or a date/datetime cell; None when blank.

    A time of day after the date is left out, once checked: "2020-02-29T25:61:61" is refused."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _make(value.year, value.month, value.day, str(value))
    if isinstance(value, date):
        return _make(value.year, value.month, value.day, str(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise Unreadable("import.bad_date", value=str(value))
        if 10000 <= value < 80000:  # an Excel serial date (1927-2119); a smaller number is not a date
            result = EXCEL_EPOCH + timedelta(days=int(value))
            return _make(result.year, result.month, result.day, str(value))
        value = str(int(value))
    raw = text(value)
    if not raw:
        return None
    s = _without_time(halfwidth(raw).strip().lower(), raw).replace(" ", "")
    roc = bool(_ROC_PREFIX.match(s))
    s = _ROC_PREFIX.sub("", s)
    if m := _ISO.match(s):
        y, mth, d = (int(g) for g in m.groups())
        return _make(_year(y, roc), mth, d, raw)
    if m := _DMY.match(s):
        d, mth, y = (int(g) for g in m.groups())
        if mth > 12 and d <= 12:
            d, mth = mth, d
        return _make(y, mth, d, raw)
    if m := _COMPACT.match(s):
        y, mth, d = (int(g) for g in m.groups())
        return _make(_year(y, roc), mth, d, raw)
    if re.fullmatch(r"\d{5}(\.\d+)?", s) and float(s) < 80000:  # a serial number stored as text
        return parse_date(float(s))
    raise Unreadable("import.bad_date", value=raw[:40])


def parse_year(value) -> int | None:
    """A year (Gregorian or ROC: 2019, 108, 民國108年) or the year of a full date."""
    raw = text(value)
    if not raw:
        return None
    s = _ROC_PREFIX.sub("", halfwidth(raw).strip().lower()).rstrip("年").strip()
    if re.fullmatch(r"\d{2,4}", s):
        y = _year(int(s), bool(_ROC_PREFIX.match(halfwidth(raw).lower())))
        if 1900 <= y <= 2100:
            return y
        raise Unreadable("import.bad_date", value=raw[:40])
    day = parse_date(value)
    if day is None:
        raise Unreadable("import.bad_date", value=raw[:40])
    return day.year


def _chinese_number(s: str) -> int | None:
    """Small Chinese numerals (五十三, 十二, 二百) as an int; None when not one."""
    if not s or any(ch not in _CN_DIGITS and ch not in "十百千" for ch in s):
        return None
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def parse_count(value) -> tuple[int | None, bool]:
    """A headcount and whether it is approximate: "約53人" → (53, True), "8" → (8, False)."""
    if value is None or isinstance(value, bool):
        return None, False
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            raise Unreadable("import.bad_count", value=str(value)[:40])
        if value < 0:
            raise Unreadable("import.bad_count", value=str(value)[:40])
        return int(value), False
    raw = text(value)
    if not raw:
        return None, False
    s = halfwidth(raw).strip()
    approx = bool(_APPROX.search(s))
    core = _APPROX.sub("", s)
    core = re.sub(r"(人|名|位|員|people|persons|pax|ppl|guests|members)\.?$", "", core.strip(), flags=re.I).strip()
    core = core.replace(",", "")
    if re.fullmatch(r"\d{1,7}", core):
        return int(core), approx
    number = _chinese_number(core)
    if number is not None:
        return number, approx
    raise Unreadable("import.bad_count", value=raw[:40])


def is_plain_count(value) -> bool:
    """Whether a count cell is a number as written (8, "53", "５３", "1,200"): read as it stands. Anything else
    ("5 people", "約53人", "五十三") is read by interpretation, which the preview shows as a note."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return bool(_PLAIN_COUNT.fullmatch(halfwidth(text(value)).strip()))


def is_ambiguous_date(value) -> bool:
    """Whether a day/month/year cell could be read either way round ("03/04/2020": 3 April or 4 March)."""
    if not isinstance(value, str):
        return False
    m = _DMY.match(halfwidth(text(value)).strip().replace(" ", ""))
    return m is not None and int(m[1]) <= 12 and int(m[2]) <= 12 and int(m[1]) != int(m[2])


def parse_int(value) -> int | None:
    number, _ = parse_count(value)
    return number


def parse_float(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise Unreadable("import.bad_number", value=str(value))
        return float(value)
    raw = text(value)
    if not raw:
        return None
    try:
        result = float(halfwidth(raw).replace(",", ""))
    except ValueError:
        raise Unreadable("import.bad_number", value=raw[:40]) from None
    if math.isnan(result) or math.isinf(result):
        raise Unreadable("import.bad_number", value=raw[:40])
    return result


_TRUE = {"y", "yes", "true", "1", "是", "有", "v", "✓", "✔", "x", "○", "o"}
_FALSE = {"n", "no", "false", "0", "否", "無", "-", "×"}


def parse_bool(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    raw = fold(text(value))
    if not raw:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise Unreadable("import.bad_bool", value=raw[:40])


COUNTRY_ALIASES = {
    "US": ("usa", "u.s.a.", "u.s.", "us", "united states", "united states of america", "america", "美國", "美利堅",
           "美利堅合眾國"),
    "GB": ("uk", "u.k.", "united kingdom", "great britain", "britain", "england", "scotland", "wales", "英國",
           "大英國協", "英格蘭"),
    "KR": ("south korea", "korea", "korea, republic of", "republic of korea", "korea (south)", "rok", "韓國",
           "南韓", "大韓民國"),
    "KP": ("north korea", "北韓", "朝鮮"),
    "CZ": ("czech republic", "czechia", "czech", "捷克", "捷克共和國"),
    "SK": ("slovakia", "slovak republic", "斯洛伐克"),
    "CN": ("china", "prc", "people's republic of china", "中國", "中國大陸", "大陸", "中华人民共和国", "中国"),
    "TW": ("taiwan", "roc", "republic of china", "republic of china (taiwan)", "臺灣", "台灣", "中華民國", "本國"),
    "RU": ("russia", "russian federation", "俄羅斯", "俄國"),
    "VN": ("vietnam", "viet nam", "越南"),
    "NL": ("holland", "the netherlands", "netherlands", "荷蘭"),
    "AU": ("australia", "澳洲", "澳大利亞"),
    "NZ": ("new zealand", "紐西蘭", "新西蘭"),
    "JP": ("japan", "日本"),
    "PH": ("philippines", "the philippines", "菲律賓"),
    "AE": ("uae", "united arab emirates", "阿聯", "阿聯酋", "阿拉伯聯合大公國"),
    "HK": ("hong kong", "hongkong", "香港"),
    "MO": ("macau", "macao", "澳門"),
    "DE": ("germany", "德國"), "FR": ("france", "法國"), "IT": ("italy", "義大利", "意大利"),
    "ES": ("spain", "西班牙"), "CA": ("canada", "加拿大"), "IN": ("india", "印度"),
    "TR": ("turkey", "türkiye", "turkiye", "土耳其"), "IR": ("iran", "伊朗"), "SY": ("syria", "敘利亞"),
    "LA": ("laos", "寮國"), "BO": ("bolivia", "玻利維亞"), "VE": ("venezuela", "委內瑞拉"),
    "TZ": ("tanzania", "坦尚尼亞"), "MD": ("moldova", "摩爾多瓦"), "CI": ("ivory coast", "cote d'ivoire", "象牙海岸"),
    "SZ": ("swaziland", "eswatini", "史瓦帝尼"), "MK": ("macedonia", "north macedonia", "北馬其頓"),
    "FM": ("micronesia", "密克羅尼西亞"), "PS": ("palestine", "巴勒斯坦"), "VA": ("vatican", "holy see", "教廷", "梵蒂岡"),
    "MM": ("burma", "myanmar", "緬甸"), "CV": ("cape verde", "維德角"), "TL": ("east timor", "timor-leste", "東帝汶"),
    "GU": ("guam", "關島"), "PR": ("puerto rico", "波多黎各"),
}


def _ckey(name: str) -> str:
    """A country name reduced for matching: folded, "&" as "and", "St." as "saint", no "the" or punctuation."""
    key = fold(name).replace("&", " and ")
    key = re.sub(r"\bst\.?(?=\s)", "saint", key)
    key = re.sub(r"\bthe\b|[.,'’()\-]", " ", key)
    return " ".join(key.split())


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    from babel import Locale

    from crm.geo.reference import country_rows

    index: dict[str, str] = {}
    hans = Locale.parse("zh_Hans").territories
    for row in country_rows():
        code = row["code"]
        for name in (row["name_en"], row["name_zh"], hans.get(code, ""), code, row["iso3"]):
            if name:
                index.setdefault(fold(name), code)
                index.setdefault(_ckey(name), code)
    for code, aliases in COUNTRY_ALIASES.items():
        for alias in aliases:
            index[fold(alias)] = code
            index[_ckey(alias)] = code
    return index


@lru_cache(maxsize=8192)
def country_code(value) -> str | None:
    """ISO-2 code for a country named in English or Chinese, or given as ISO-2/ISO-3; None when blank."""
    raw = text(value)
    if not raw:
        return None
    key = fold(raw).strip(" .")
    code = _country_index().get(key) or _country_index().get(_ckey(raw))
    if code is None:
        key = re.sub(r"^(the )|( \(.*\))$", "", key)
        code = _country_index().get(key) or _country_index().get(_ckey(key))
    if code is None:
        raise Unreadable("import.bad_country", value=raw[:60])
    return code


@lru_cache(maxsize=8192)
def find_country_in(name: str) -> tuple[str, str | None]:
    """Split a qualified place name ("Prague, Czech Republic", "布拉格（捷克）") into (name, country code)."""
    raw = text(name)
    parts = re.split(r"\s*[,，、/]\s*|\s*[（(]\s*|\s*[)）]\s*", raw)
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return raw, None
    for candidate in reversed(parts[1:]):
        try:
            code = country_code(candidate)
        except Unreadable:
            continue
        rest = [p for p in parts if p != candidate]
        return rest[0] if rest else raw, code
    return raw, None


def choice(value, options: dict[str, str]) -> str | None:
    """The option code a cell names, by code or by any label (folded); `options` maps folded label → code."""
    raw = text(value)
    if not raw:
        return None
    code = options.get(fold(raw))
    if code is None:
        raise Unreadable("import.bad_choice", value=raw[:40], choices=", ".join(sorted(set(options.values()))))
    return code
