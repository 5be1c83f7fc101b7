"""The half-year report against hand-written expectations, its counting rules, Word export, and the CLI."""

import io
from datetime import date

import docx
import pytest

from crm.commands.cli import main
from crm.documents.report.data import report_file, report_text, report_title
from crm.periods import parse_period
from crm.store import writes
from crm.views.counts import PeriodCounts


@pytest.fixture
def fixture_period(engine, admin):
    """A hand-counted half-year: the expected sentences are written out in the tests below."""
    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    lima = writes.create(admin, "cities", {"name_en": "Lima", "name_zh": "利馬", "country_code": "PE"})
    taipei = writes.create(admin, "cities", {"name_en": "Taipei", "name_zh": "臺北", "country_code": "TW"})
    mayor = writes.create(admin, "people", {"name_en": "Ko Wen-je", "name_zh": "柯文哲", "title_zh": "臺北市長",
                                            "title_en": "Mayor of Taipei"})
    for day, people, status in ((date(2020, 6, 30), 5, "held"), (date(2020, 7, 1), 7, "held"),
                                (date(2020, 1, 3), 3, "held"), (date(2020, 3, 1), 9, "cancelled"),
                                (date(2020, 4, 1), 4, "postponed"), (date(2019, 5, 1), 11, "held")):
        writes.create(admin, "visits", {"title_en": f"group {day}", "start_on": day, "headcount": people,
                                        "status": status, "status_reason": "COVID-19" if status != "held" else ""})
    writes.create(admin, "delegations", {
        "title_en": "Europe", "title_zh": "歐洲行", "status": "held", "start_on": date(2020, 1, 12),
        "end_on": date(2020, 1, 22), "leader_person_id": mayor, "headcount": 53, "headcount_approx": True,
        "dignitaries_count": 30, "dignitaries_approx": True, "itinerary": [{"city_id": prague}]})
    writes.create(admin, "partnerships", {
        "city_id": prague, "kind": "sister", "status": "active", "council_approved_on": date(2019, 12, 24),
        "established_on": date(2020, 1, 13),
        "signings": [{"signed_on": date(2020, 1, 13), "place_city_id": prague, "mode": "in_person"}]})
    writes.create(admin, "partnerships", {
        "city_id": lima, "kind": "sister", "status": "active", "council_approved_on": date(2020, 1, 2),
        "established_on": date(2020, 2, 25), "signings": [
            {"signed_on": date(2020, 2, 10), "place_city_id": taipei, "signatory_person_id": mayor, "mode": "remote"},
            {"signed_on": date(2020, 2, 25), "place_city_id": lima, "signatory": "Mayor of Lima", "mode": "remote"}]})
    programme = writes.create(admin, "exchanges", {
        "title_en": "Staff exchange", "title_zh": "人才交流", "status": "planned", "start_on": date(2020, 4, 1),
        "end_on": date(2020, 9, 30), "cohorts": [{"planned_start": date(2020, 4, 1), "planned_end": date(2020, 9, 30),
                                                  "status": "postponed", "status_reason": "新冠肺炎疫情"}]})
    writes.change_status(admin, "exchanges", programme, "postponed", 1, reason="新冠肺炎疫情")
    writes.create(admin, "conferences", {"title_en": "CITYNET meeting", "status": "held", "start_on": date(2020, 4, 10),
                                         "switched_to_video": True})
    writes.create(admin, "conferences", {"title_en": "Cancelled call", "status": "cancelled", "status_reason": "x",
                                         "start_on": date(2020, 4, 11)})
    return parse_period("2020H1")


def test_chinese_report_states_the_fixture_facts(fixture_period):
    text = report_text(fixture_period, "zh-TW")
    assert text.startswith("(三) 推動國際事務及城市外交\n報告期間：民國 109 年上半年（2020）")
    # groups vs people; cancelled and postponed not held; 30 June in H1 and 1 July in H2
    assert "本期計接待國際貴賓 2 團、8 人。" in text
    assert "109 年 1 月 12 日至 22 日臺北市長柯文哲率領代表團約 53 人，訪問 1 國 1 城市，含捷克布拉格等地。" in text
    assert "出訪期間與布拉格簽署姊妹市盟約。" in text and "到訪期間會晤各地政要約 30 人。" in text
    assert ("本市與捷克布拉格締結姊妹市一案於 108 年 12 月 24 日獲本市議會審議通過，"
            "於 109 年 1 月 13 日臺北市長柯文哲率團訪問布拉格時完成簽署") in text
    assert "分由臺北市長柯文哲於 109 年 2 月 10 日、Mayor of Lima 於 109 年 2 月 25 日完成異地簽署" in text
    assert "第 1 梯次延期辦理（新冠肺炎疫情）" in text
    assert "本期參與國際視訊會議計 1 場，其中國際組織會議改為視訊會議舉行者 1 場" in text
    assert "接待國際貴賓：2 團、8 人（去年同期 1 團、11 人；增加 1）" in text
    assert "另有延期 2 項、取消 2 項，未計入已辦理。" in text
    second = report_text("2020H2", "zh-TW")
    assert "本期計接待國際貴賓 1 團、7 人。" in second and "本期無府級長官出國考察。" in second


def test_english_report_states_the_fixture_facts(fixture_period):
    text = report_text(fixture_period, "en")
    assert "This period we received 2 groups of international guests, 8 people in all." in text
    assert "12–22 January 2020: Ko Wen-je (Mayor of Taipei) led a delegation of about 53 people to 1 cities" in text
    assert "approved by the City Council on 24 December 2019, signed in person on 13 January 2020" in text
    assert ("signed remotely, by Ko Wen-je (Mayor of Taipei) on 10 February 2020 (Taipei) and by Mayor of Lima on "
            "25 February 2020 (Lima)") in text
    assert "cohort 1 was postponed (新冠肺炎疫情)" in text
    assert "International guests received: 2 groups, 8 people (a year before: 1 groups, 11 people; up 1)" in text


def test_a_year_and_a_range_are_periods_too(fixture_period):
    year = report_text("2020", "zh-TW")
    assert "報告期間：民國 109 年（2020）" in year and "本期計接待國際貴賓 3 團、15 人。" in year
    assert "本期計接待國際貴賓 1 團、5 人。" in report_text("2020-06-01..2020-06-30", "zh-TW")


def test_figures_come_from_the_shared_counting_rules(fixture_period, monkeypatch):
    import crm.documents.report.data

    monkeypatch.setattr(crm.documents.report.data, "period_counts", lambda period, session=None: PeriodCounts(
        visits_groups=77, visits_people=555))
    assert "本期計接待國際貴賓 77 團、555 人。" in report_text(fixture_period, "zh-TW")


def test_report_exports_to_word_with_headings(fixture_period):
    text = report_text(fixture_period, "zh-TW").replace("2 團、8 人", "2 團、8 人（已核對）")
    data = report_file(report_title(fixture_period, "zh-TW"), text, "zh-TW", "docx")
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["(三) 推動國際事務及城市外交", "1. 推動城市交流及考察市政"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "本期計接待國際貴賓 2 團、8 人（已核對）。" in body  # the edited text is what is exported


def test_demo_report_states_what_the_seed_report_states(demo_url):
    zh = report_text("2020H1", "zh-TW")
    for phrase in ("109 年 1 月 12 日至 22 日", "約 53 人", "訪問 4 國 4 城市",
                   "含捷克布拉格、拉脫維亞里加、愛沙尼亞塔林及芬蘭赫爾辛基等地",
                   "與布拉格簽署姊妹市盟約", "等 3 份合作備忘錄", "會晤各地政要約 30 人",
                   "首爾大學楊一模教授", "美國維吉尼亞大學林夏如教授", "宏都拉斯駐臺大使 Eny Bautista",
                   "新加坡駐台北商務辦事處代表 Yip Wei Kiat 等人率團來府拜會", "本期計接待國際貴賓 14 團、94 人",
                   "108 年 12 月 24 日獲本市議會審議通過", "109 年 1 月 13 日臺北市長柯文哲率團訪問布拉格時完成簽署",
                   "秘魯利馬締結姊妹市一案於 109 年 1 月 2 日獲本市議會審議通過",
                   "109 年 2 月 10 日、利馬市長 Jorge Muñoz Wells 於 109 年 2 月 25 日完成異地簽署",
                   "109 年 4 月 8 日召開本年度第 1 次會議", "109 年 1 月 3 日本市與日本笠間市以換約方式簽訂",
                   "原訂第 1 梯次於 109 年 4 月 1 日至 9 月 30 日辦理", "第 1 梯次延期辦理",
                   "改為視訊會議舉行者 3 場", "4 月 10 日城市網（CITYNET）",
                   "4 月 21 日城市與地方政府聯盟亞太分會（UCLG ASPAC）",
                   "5 月 29 日城市與地方政府聯盟（UCLG）", "109 年 7 月 22 日辦理「2020 臺北上海城市論壇」", "等 4 場分論壇",
                   "109 年 4 月 21 日以市長通函", "70 餘個國際友好城市及 60 餘個駐華機構"):
        assert phrase in zh, phrase
    en = report_text("2020H1", "en")
    for phrase in ("12–22 January 2020", "about 53 people to 4 cities in 4 countries", "met about 30 dignitaries",
                   "we received 14 groups of international guests, 94 people", "3 MOUs were witnessed",
                   "approved by the City Council on 24 December 2019", "signed remotely", "10 February 2020",
                   "25 February 2020", "by exchange of documents", "cohort 1 was postponed",
                   "3 were meetings of organisations moved from in person to video", "4 sub-forums",
                   "70+ international partner cities and 60+ foreign missions"):
        assert phrase in en, phrase


def test_cli_report_and_export(demo_url, tmp_path, capsys):
    assert main(["report", "--period", "2020H1", "--lang", "en"]) == 0
    assert "94 people" in capsys.readouterr().out
    out = tmp_path / "r.docx"
    assert main(["report", "--period", "109H1", "-o", str(out)]) == 0
    assert "14 團、94 人" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert main(["report", "--period", "2020H3"]) == 2
    assert "not a period" in capsys.readouterr().err
    assert main(["report", "--period", "2020H1", "-o", str(tmp_path / "r.xls")]) == 2


def test_report_page_shows_editable_text(demo_url):
    from crm.i18n import t
    from tests.support.apptest import errors, open_page

    at = open_page("report", "zh-TW", query={"period": "2020H1"})
    assert not errors(at)
    area = at.text_area[0]
    assert "本期計接待國際貴賓 14 團、94 人" in area.value
    area.input(area.value.replace("14 團", "十四團")).run()
    assert not errors(at)
    assert "十四團" in at.text_area[0].value
    assert any(t("report.edited_unsaved", "zh-TW") == i.value for i in at.info)
    assert len(at.get("download_button")) == 3
    english = open_page("report", "en", query={"period": "2019"})
    assert not errors(english) and "0 groups" in english.text_area[0].value


def test_a_cohort_postponed_to_a_year_says_so_in_both_languages(engine, admin):
    from crm.errors import ValidationFailed

    cohort = {"planned_start": date(2020, 4, 1), "planned_end": date(2020, 9, 30), "status": "postponed",
              "status_reason": "新冠肺炎疫情"}
    with pytest.raises(ValidationFailed) as refused:  # a new date that does not say how it is known
        writes.create(admin, "exchanges", {"title_zh": "人才交流", "start_on": date(2020, 4, 1),
                                           "cohorts": [{**cohort, "postponed_to": date(2021, 1, 1)}]})
    assert set(refused.value.errors) == {"cohorts[0].postponed_to"}
    writes.create(admin, "exchanges", {"title_zh": "人才交流", "start_on": date(2020, 4, 1), "cohorts": [
        {**cohort, "postponed_to": date(2021, 1, 1), "postponed_to_precision": "year"}]})
    assert "第 1 梯次延期至 2021 年（民國 110 年）辦理（新冠肺炎疫情）" in report_text("2020H1", "zh-TW")
    assert "cohort 1 was postponed to 2021 (新冠肺炎疫情)" in report_text("2020H1", "en")
