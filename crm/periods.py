"""Reporting periods: half-years, years and date ranges; ROC (民國) years."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from crm.i18n import t

ROC_OFFSET = 1911


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label_code: str

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def previous(self) -> "Period":
        """The period of equal shape just before this one (previous half-year, year or range)."""
        if self.label_code.endswith(("H1", "H2")):
            year, half = int(self.label_code[:4]), self.label_code[-1]
            return half_year(year - 1, 2) if half == "1" else half_year(year, 1)
        if re.fullmatch(r"\d{4}", self.label_code):
            return year_period(int(self.label_code) - 1)
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end, f"{(end - length).isoformat()}..{end.isoformat()}")

    def year_before(self) -> "Period":
        """The same period one year earlier."""
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), _shift_code(self.label_code))

    def label(self, lang: str) -> str:
        code = self.label_code
        if re.fullmatch(r"\d{4}H[12]", code):
            year, half = int(code[:4]), code[-1]
            half_text = t("period.h1" if half == "1" else "period.h2", lang)
            if lang == "zh-TW":
                return f"民國 {year - ROC_OFFSET} 年{half_text}（{year}）"
            return t("period.half", lang, year=year, half=half_text)
        if re.fullmatch(r"\d{4}", code):
            year = int(code)
            return f"民國 {year - ROC_OFFSET} 年（{year}）" if lang == "zh-TW" else str(year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _shift_code(code: str) -> str:
    if re.fullmatch(r"\d{4}(H[12])?", code):
        return str(int(code[:4]) - 1) + code[4:]
    start, end = code.split("..")
    return f"{_shift_year(date.fromisoformat(start), -1)}..{_shift_year(date.fromisoformat(end), -1)}"


def half_year(year: int, half: int) -> Period:
    if half == 1:
        return Period(date(year, 1, 1), date(year, 6, 30), f"{year}H1")
    return Period(date(year, 7, 1), date(year, 12, 31), f"{year}H2")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def half_year_of(day: date) -> Period:
    return half_year(day.year, 1 if day.month <= 6 else 2)


def parse_period(text: str) -> Period:
    """Parse `2020H1`, `2020H2`, `2020`, `109H1` (ROC) or `2020-01-01..2020-06-30`; ValueError otherwise."""
    text = (text or "").strip().upper().replace(" ", "")
    match = re.fullmatch(r"(\d{2,4})H([12])", text)
    if match:
        year = _gregorian(int(match.group(1)))
        return half_year(year, int(match.group(2)))
    if re.fullmatch(r"\d{2,4}", text):
        return year_period(_gregorian(int(text)))
    if ".." in text:
        start_text, end_text = text.split("..", 1)
        start, end = date.fromisoformat(start_text), date.fromisoformat(end_text)
        if end < start:
            raise ValueError("the period ends before it starts")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    raise ValueError(f"not a period: {text!r} (use 2020H1, 2020H2, 2020 or 2020-01-01..2020-06-30)")


@lru_cache(maxsize=2048)
def period_label(code: str, lang: str) -> str:
    """`parse_period(code).label(lang)`, kept: pickers label every half-year on file at each rerun."""
    return parse_period(code).label(lang)


def _gregorian(year: int) -> int:
    if year < 1000:  # an ROC year such as 109
        year += ROC_OFFSET
    if not 1900 <= year <= 2100:
        raise ValueError(f"year out of range: {year}")
    return year


def roc_year(day: date) -> int:
    return day.year - ROC_OFFSET


def format_date(day: date | None, lang: str, *, roc: bool = False) -> str:
    """A date as office staff write it: 109 年 1 月 13 日 (ROC) / 2020年1月13日 / 13 January 2020."""
    if day is None:
        return ""
    if lang == "zh-TW":
        year = day.year - ROC_OFFSET if roc else day.year
        return f"{year}年{day.month}月{day.day}日" if not roc else f"{year} 年 {day.month} 月 {day.day} 日"
    from babel.dates import format_date as babel_format

    return babel_format(day, format="long", locale="en")


PRECISIONS = ("day", "month", "year")
_PARTIAL = re.compile(r"^(?:民國\s*)?(\d{2,4})\s*(?:年|[-/.])?\s*(?:(\d{1,2})\s*(?:月|[-/.])?\s*(?:(\d{1,2})\s*日?)?)?$")


def parse_partial(text: str) -> tuple[date, str]:
    """A date that may be only a year or a month: "2021", "110 年", "2021-03", "110/3", "2021/3/5" →
    (its first day, "year" | "month" | "day"). Full-width digits are read; ValueError otherwise."""
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", str(text or "")).strip()
    match = _PARTIAL.match(cleaned)
    if not match:
        raise ValueError(f"not a year, month or date: {cleaned[:30]!r}")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    if len(year_text) <= 3:  # an ROC year (民國 110 年)
        year += ROC_OFFSET
    if not 1900 <= year <= 2100:
        raise ValueError(f"year out of range: {year}")
    if month_text is None:
        return date(year, 1, 1), "year"
    month = int(month_text)
    if day_text is None:
        return date(year, month, 1), "month"  # ValueError for month 13
    return date(year, month, int(day_text)), "day"


def partial_text(day: date | None, precision: str) -> str:
    """The text `parse_partial` reads back as (day, precision): "2021", "2021-03" or "2021-03-05"."""
    if day is None:
        return ""
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(precision, day.isoformat())


def format_partial(day: date | None, precision: str, lang: str) -> str:
    """A date kept as a year, a month or a day, written as precisely as it is known:
    en "2021" / "March 2021"; zh-TW "2021 年（民國 110 年）" / "2021 年 3 月（民國 110 年 3 月）"."""
    if day is None:
        return ""
    roc = day.year - ROC_OFFSET
    if precision == "year":
        return f"{day.year} 年（民國 {roc} 年）" if lang == "zh-TW" else str(day.year)
    if precision == "month":
        if lang == "zh-TW":
            return f"{day.year} 年 {day.month} 月（民國 {roc} 年 {day.month} 月）"
        from babel.dates import format_date as babel_format

        return babel_format(day, format="MMMM y", locale="en")
    return format_date(day, lang)
