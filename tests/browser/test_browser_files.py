"""Real browser (Debian Chromium): files and photos on a visit (issue 18).

Staff (signed in, zh-TW) upload two photos and a PDF on a visit with the file input, see the gallery and the
document list, preview a photo, download one file (the bytes are the uploaded ones), delete a photo and restore it;
a renamed program is refused by name. Leadership (en) see the files and no upload or delete control. Then the
database holds what the screens said, and nothing left 127.0.0.1.
"""

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import expect

from crm.i18n import t
from tests.files import samples
from tests.support.browser import assert_only_local, screenshot, start_app, wait_for_app
from tests.support.database import using_database

pytestmark = pytest.mark.browser
PASSWORD = "files-pass-2026"
ZH, EN = "zh-TW", "en"


@pytest.fixture(scope="module")
def office(demo_template, tmp_path_factory):
    """(base URL, database path, visit id, folder of files to upload) of a server in log-in mode."""
    from crm.accounts.users import add_user, get_user, set_password
    from crm.store.writes import SYSTEM_ACTOR, create

    folder = tmp_path_factory.mktemp("files")
    path = folder / "liaison.db"
    shutil.copy(demo_template, path)
    with using_database(path):
        set_password(SYSTEM_ACTOR, get_user("admin").id, PASSWORD)
        add_user(SYSTEM_ACTOR, "clerk", "staff", PASSWORD)
        add_user(SYSTEM_ACTOR, "mayor", "leadership", PASSWORD)
        visit = create(SYSTEM_ACTOR, "visits", {"title_en": "Vilnius mayor's visit", "title_zh": "維爾紐斯市長來訪"})
    uploads = folder / "uploads"
    uploads.mkdir()
    (uploads / "signing.jpg").write_bytes(samples.jpeg(gps=True))
    (uploads / "gifts.png").write_bytes(samples.png())
    (uploads / "programme.pdf").write_bytes(samples.pdf("Programme of the visit"))
    (uploads / "minutes.pdf").write_bytes(samples.exe())
    with start_app(path, user="") as base:
        yield base, path, visit, uploads


def _main(page):
    return page.locator('[data-testid="stMain"]')


def _sign_in(page, base: str, user: str, lang: str) -> None:
    page.goto(f"{base}/?lang={lang}")
    wait_for_app(page)
    page.get_by_label(t("auth.username", lang), exact=True).fill(user)
    page.get_by_label(t("auth.password", lang), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("auth.sign_in", lang)).click()
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').wait_for()


def _files_tab(page, base: str, visit: int, lang: str) -> None:
    page.goto(f"{base}/visits?id={visit}&lang={lang}")
    wait_for_app(page)
    page.get_by_role("tab", name=t("files.title", lang)).click()
    wait_for_app(page)


def _click(page, name: str, scope=None) -> None:
    (scope or _main(page)).get_by_role("button", name=name).first.click()
    wait_for_app(page)


def test_staff_upload_preview_download_delete_restore_and_leadership_only_look(office, browser_page):
    base, path, visit, uploads = office
    page = browser_page
    _sign_in(page, base, "clerk", ZH)
    _files_tab(page, base, visit, ZH)
    main = _main(page)
    assert t("files.none", ZH) in main.inner_text()
    dropzone = main.locator('[data-testid="stFileUploaderDropzone"]')
    assert "Browse files" not in dropzone.evaluate("e => getComputedStyle(e.querySelector('button'), '::after').content")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [uploads / "signing.jpg", uploads / "gifts.png", uploads / "programme.pdf", uploads / "minutes.pdf"])
    wait_for_app(page)
    page.get_by_label(t("files.caption_zh", ZH), exact=True).fill("簽約儀式")
    page.get_by_label(t("files.caption_zh", ZH), exact=True).press("Tab")
    wait_for_app(page)
    screenshot(page, "files-upload-zh", main)
    save = main.get_by_role("button", name=t("files.save", ZH))
    expect(save).to_be_enabled()  # the uploader has handed the files to the server
    save.click()
    main.get_by_text(t("files.uploaded", ZH, n=3)).wait_for()
    wait_for_app(page)
    text = main.inner_text()
    assert t("files.uploaded", ZH, n=3) in text
    assert t("files.err.executable", ZH, name="minutes.pdf") in text  # the renamed program, by name
    assert f"{t('files.photos', ZH)} (2)" in text and f"{t('files.documents', ZH)} (1)" in text
    assert main.locator('[data-testid="stImage"] img').count() == 2
    screenshot(page, "files-gallery-zh", main)

    # preview a photo (a dialog with its picture), then download the PDF: the bytes are the uploaded ones
    photo = main.locator('[class*="st-key-files-visits-"][class*="-photo-"]').first
    _click(page, t("files.preview", ZH), photo)
    dialog = page.locator('[role="dialog"]')
    dialog.locator('[data-testid="stImage"] img').wait_for()
    screenshot(page, "files-preview-zh", dialog)
    page.keyboard.press("Escape")
    wait_for_app(page)
    document = main.locator('[class*="-doc-"]').first
    with page.expect_download() as got:
        document.get_by_role("button", name=t("files.download", ZH)).click()
    download = got.value
    assert download.suggested_filename == "programme.pdf"
    assert Path(download.path()).read_bytes() == (uploads / "programme.pdf").read_bytes()

    # delete a photo, restore it from the deleted files
    gifts = main.locator('[class*="-photo-"]').filter(has_text="gifts.png")
    _click(page, t("files.delete", ZH), gifts)
    assert t("files.deleted", ZH, name="gifts.png") in main.inner_text()
    assert main.locator('[data-testid="stImage"] img').count() == 1
    page.get_by_text(t("files.deleted_list", ZH, n=1)).click()
    _click(page, t("files.restore", ZH))
    assert t("files.restored", ZH, name="gifts.png") in main.inner_text()
    assert main.locator('[data-testid="stImage"] img').count() == 2
    assert_only_local(page.requests)

    # leadership: the files, a download, but no upload and no delete
    page.context.clear_cookies()
    _sign_in(page, base, "mayor", EN)
    _files_tab(page, base, visit, EN)
    assert main.locator('[data-testid="stImage"] img').count() == 2
    assert main.locator('[data-testid="stFileUploader"]').count() == 0
    assert main.get_by_role("button", name=t("files.delete", EN)).count() == 0
    assert main.get_by_role("button", name=t("files.download", EN)).count() == 3
    screenshot(page, "files-leadership-en", main)
    assert_only_local(page.requests)

    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, uploaded_by, deleted_at, version, caption_zh, sha256 FROM recordfile "
                          "WHERE kind = 'visits' AND record_id = ? ORDER BY name", (visit,)).fetchall()
        actions = db.execute("SELECT action FROM auditentry WHERE kind = 'files' ORDER BY id").fetchall()
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("gifts.png", "clerk", None, 3, "簽約儀式"), ("programme.pdf", "clerk", None, 1, "簽約儀式"),
        ("signing.jpg", "clerk", None, 1, "簽約儀式")]
    assert rows[2][5] == hashlib.sha256((uploads / "signing.jpg").read_bytes()).hexdigest()
    assert [a for (a,) in actions] == ["create", "create", "create", "delete", "restore"]
