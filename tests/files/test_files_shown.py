"""Files beyond their record: a city's dossier shows the files of its records, and a briefing with photos carries
the visit's and its people's photos (without EXIF) into Word and PDF."""

import io

from docx import Document

from crm.accounts.users import ensure_local_user
from crm.documents.briefings.build import build
from crm.documents.briefings.files import briefing_file
from crm.files import attach
from crm.records.queries import options
from tests.files import samples
from tests.support.apptest import open_page


def test_a_visit_photo_reaches_the_city_dossier_and_the_briefing(demo_url):
    admin = ensure_local_user()
    visit = next(i for i, label in options("visits", "en").items() if "Seoul National" in label)
    attach.upload(admin, "visits", visit, "welcome.jpg", io.BytesIO(samples.jpeg(gps=True)), caption_en="Welcome")
    attach.upload(admin, "visits", visit, "letter.pdf", io.BytesIO(samples.pdf()))
    seoul = next(i for i in options("cities", "en", q="Seoul"))
    at = open_page("cities", lang="en", query={"id": str(seoul)})
    assert not at.exception
    assert "Files on these records" in [s.value for s in at.subheader]
    shown = " ".join(c.value for c in at.caption)
    assert "Welcome" in shown and "on Seoul National University delegation" in shown  # the photo, and whose it is
    assert "letter" in " ".join(m.value for m in at.markdown)
    assert len(at.get("image")) == 1  # the photo in the gallery

    plain = build("visits", record_id=visit, lang="en")
    assert plain.photos == []
    briefing = build("visits", record_id=visit, lang="en", photos=True)
    assert [p["caption"] for p in briefing.photos] == ["Welcome"]
    word = Document(io.BytesIO(briefing_file(briefing, "docx")))
    assert len(word.inline_shapes) == 1 and "Welcome" in [p.text for p in word.paragraphs]
    pdf = briefing_file(briefing, "pdf")
    assert b"/Subtype /Image" in pdf


def test_the_report_word_file_can_carry_the_period_signing_photos(demo_url):
    from crm.documents.report.data import report_file, signing_photos
    from crm.periods import parse_period

    admin = ensure_local_user()
    prague = next(i for i, label in options("partnerships", "en").items() if "Prague" in label)
    attach.upload(admin, "partnerships", prague, "signing.jpg", io.BytesIO(samples.jpeg(gps=True)),
                  caption_zh="布拉格締盟簽約")
    assert signing_photos(parse_period("2019H2"), "zh-TW") == []  # signed 2020-01-13
    photos = signing_photos(parse_period("2020H1"), "zh-TW")
    assert [p["caption"] for p in photos] == ["布拉格締盟簽約"]
    word = Document(io.BytesIO(report_file("報告", "一、城市外交\n本期締結姊妹市 1 個。", "zh-TW", "docx", photos)))
    assert len(word.inline_shapes) == 1 and "簽約照片" in [p.text for p in word.paragraphs]
    assert len(Document(io.BytesIO(report_file("報告", "本期", "zh-TW", "docx"))).inline_shapes) == 0
