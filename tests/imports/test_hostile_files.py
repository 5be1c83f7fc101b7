"""Hostile and broken files (issue 20, "Input, bounded"): each is refused with a clear message in both languages,
or imported cleanly; nothing is half-written; memory stays under a fixed cap whatever the file.

The corpus (tests/support/hostile_files.py, generated here, never committed) runs in ONE subprocess under
`RLIMIT_AS`: a few hundred files, the bombs the issue names (a merged range A1:GR1048576, 300 MB of comments,
of shared strings, of sheet) and the two large legitimate files (a 60,000-row inline-string workbook, a
100,000-row city list), which must import. The figures go to test-artifacts/hostile-files.json.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from crm.imports import flow as importer
from crm.imports.read import TooLarge, UnreadableFile
from tests.support.apptest import ROOT

MEMORY_CAP_MB = 1024  # address space of the whole import process (a 100k-row import peaks at about 620 MB)
INTERNAL = re.compile(r"Traceback|Error\b|Exception|not a valid column name|list index|could not convert|"
                      r"Invalid datetime|has no attribute|KeyError|ValueError|expected <class|\{\w+\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXPECTED = {  # the files the issue names, and the internal errors it quotes, with the message each now gets
    "merged-A1:GR1048576": "import.limit.merged_cells", "comments-300MB": "import.limit.unpacked",
    "sharedStrings-300MB": "import.limit.unpacked", "sheet-300MB": "import.limit.unpacked",
    "sharedStrings-one-huge-text-90MB": "import.limit.ratio", "cell-ref-ZZZZZZ2": "import.bad_cell.ref",
    "shared-99999": "import.bad_cell.shared", "number-abc": "import.bad_cell.number",
    "date-99999-99-99T99:99": "import.bad_cell.date", "merge-10001-ranges": "import.limit.merged",
    "far-column": "import.limit.sheet_columns", "long-inline-text": "import.limit.cell_text",
    "sheet-doctype-entities": "import.doctype", "external-entity": "import.doctype",
    "many-sheets": "import.limit.sheets",
    "csv-huge-line": "import.limit.line", "csv-300-columns": "import.limit.columns",
    "csv-too-many-rows": "import.limit.csv_rows", "csv-unclosed-quote": "import.limit.csv_cell",
    "encrypted-flag": "import.encrypted", "lying-sizes": "import.damaged_zip", "row-number-1048576": "import.limit.rows",
}
IMPORTED = ("inline-60k-rows", "city-list-100k", "csv-utf-8", "csv-cp950", "csv-utf-16")

SCRIPT = """
import json, resource, sys
cap = int(sys.argv[1]) << 20
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from tests.support import hostile_files as h
files = list(h.corpus()) + [f for f in h.worst() if f[0] in ("inline-60k-rows", "city-list-100k")]
results = h.run_corpus(files)
peak = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmPeak")]
print(json.dumps({"results": results, "vm_peak_kb": int(peak[0])}))
"""


def check_message(entry: dict) -> None:
    en, zh = entry["en"], entry["zh"]
    assert en and zh and en != zh and not en.startswith("import."), entry
    assert not INTERNAL.search(en) and not INTERNAL.search(zh), entry
    assert CJK.search(zh) and not CJK.search(re.sub(r'“[^”]*”|"[^"]*"', "", en)), entry  # each in its language (but quotes)


def test_the_hostile_corpus_is_refused_with_messages_writes_nothing_and_stays_under_the_memory_cap(sqlite_url):
    env = {**os.environ, "DATABASE_URL": sqlite_url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(MEMORY_CAP_MB)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    results = {r["name"]: r for r in report["results"]}
    assert len(results) >= 250
    crashed = [r for r in results.values() if r["outcome"] == "crashed"]
    assert not crashed, crashed[:5]
    for entry in results.values():
        if entry["outcome"] == "refused":
            check_message(entry)
            assert entry["before"] == entry["after"], entry  # refused: not a row written, not an audit entry
        else:
            counts = entry["counts"]
            assert counts["imported"] + counts["merged"] + counts["skipped"] + counts["rejected"] == counts["rows"]
    for name, key in EXPECTED.items():
        assert results[name]["outcome"] == "refused" and results[name]["key"] == key, results[name]
    for name in IMPORTED:
        assert results[name]["outcome"] == "imported" and results[name]["counts"]["rejected"] == 0, results[name]
    assert results["inline-60k-rows"]["counts"]["rows"] == 59_999
    assert results["city-list-100k"]["counts"]["rows"] == 100_000
    refused = sum(r["outcome"] == "refused" for r in results.values())
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "hostile-files.json").write_text(json.dumps({
        "files": len(results), "refused": refused, "imported": len(results) - refused,
        "memory_cap_mb": MEMORY_CAP_MB, "vm_peak_mb": report["vm_peak_kb"] // 1024,
        "cpu_s": {name: round(r["cpu"], 2) for name, r in results.items() if r["cpu"] > 0.2},
        "total_cpu_s": round(sum(r["cpu"] for r in results.values()), 1)}, indent=1))


def test_the_size_limit_is_an_office_setting_and_the_cli_says_it_in_the_chosen_language(db_url, admin, tmp_path,
                                                                                        capsys):
    from crm.accounts import settings
    from crm.commands.cli import main
    from crm.records.queries import list_records

    data = b"City,Country\n" + b"Riga,LV\n" * 150_000  # 1.2 MB
    assert importer.read(data, "c.csv", "cities").rows  # under the default limit (50 MB)
    settings.save(admin, settings.IMPORT_MAX_MB, "1")
    with pytest.raises(TooLarge) as refused:
        importer.read(data, "c.csv", "cities")
    assert refused.value.message("en").startswith("The file is 1.1 MB; the largest file an import takes is 1.0 MB.")
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    assert main(["import", "cities", str(path), "--lang", "zh-TW"]) == 2
    err = capsys.readouterr().err
    assert "檔案大小為 1.1 MB，匯入檔案上限為 1.0 MB" in err and "Traceback" not in err
    assert list_records("cities").total == 0


def test_a_merged_range_down_the_whole_sheet_fills_only_the_rows_there_are():
    from crm.imports.read import _merge_filled

    rows = [["Title", None, None], ["a", "b", None], ["c", None, None]]
    filled = list(_merge_filled(rows, [(1, 1, 3, 1), (2, 2, 3, 1_048_576)]))
    assert filled == [["Title", "Title", "Title"], ["a", "b", "b"], ["c", "b", "b"]]


def test_an_unknown_failure_is_a_generic_message_naming_the_file_and_logged(monkeypatch, caplog):
    from crm.imports import read

    def broken(*_args, **_kwargs):
        raise RuntimeError("internal detail 0xdeadbeef")

    monkeypatch.setattr(read, "read_csv", broken)
    with pytest.raises(UnreadableFile) as refused:
        importer.read(b"City\nRiga\n", "list.csv", "cities")
    assert refused.value.key == "import.unreadable"
    for lang in ("en", "zh-TW"):
        assert "list.csv" in refused.value.message(lang) and "deadbeef" not in refused.value.message(lang)
    assert "deadbeef" in caplog.text  # for the administrator


@pytest.mark.parametrize(("limit", "value", "key"), [("MAX_CELLS", 5, "import.limit.cells"),
                                                     ("MAX_ROWS", 2, "import.limit.rows"),
                                                     ("MAX_SHARED_STRINGS", 3, "import.limit.shared_strings")])
def test_each_workbook_limit_is_checked_before_openpyxl_reads(monkeypatch, limit, value, key):
    import openpyxl

    from crm.imports import limits
    from tests.support.hostile_files import shared_workbook

    monkeypatch.setattr(limits, limit, value)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *_a, **_k: pytest.fail("openpyxl reached"))
    with pytest.raises(TooLarge) as refused:
        importer.read(shared_workbook(), "w.xlsx", "cities")
    assert refused.value.key == key
    check_message({"en": refused.value.message("en"), "zh": refused.value.message("zh-TW")})
