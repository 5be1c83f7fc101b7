"""Real browser: open the Europe trip's briefing, download it as Word and Excel, and read the files back."""

import io
import subprocess

import docx
import openpyxl
import pytest

from crm.i18n import t
from tests.support.browser import assert_only_local, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _download(page, label: str, tmp_path):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return target


def test_europe_trip_briefing_downloads_and_reads_back(live_app, browser_page, tmp_path):
    page = browser_page
    page.goto(f"{live_app}/briefings?lang=zh-TW&source=delegations&id=1")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("h1").first.inner_text().strip() == t("page.briefings", "zh-TW")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "柯市長率團訪問歐洲 4 國 4 城市" in main.inner_text()
    screenshot(page, "briefing-europe-zh")

    word = _download(page, t("brief.download.docx", "zh-TW"), tmp_path)
    assert word.suffix == ".docx"
    document = docx.Document(str(word))
    assert document.paragraphs[0].text == "柯市長率團訪問歐洲 4 國 4 城市"
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "賀吉普" in cells and "Zdeněk Hřib" in cells and "動物園交流合作備忘錄" in cells

    excel = _download(page, t("brief.download.xlsx", "zh-TW"), tmp_path)
    book = openpyxl.load_workbook(io.BytesIO(excel.read_bytes()))
    assert book.sheetnames[:2] == ["行程", "人員名單"] and book["人員名單"].max_row == 3

    pdf = _download(page, t("brief.download.pdf", "zh-TW"), tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "布拉格" in text and "第 1 頁" in text
    assert page.locator('[data-testid="stException"]').count() == 0
    assert_only_local(page.requests)
