"""The benchmark runs (tiny sizes) and reports the three ratios; no figure is asserted (machines are noisy)."""

import json

from crm.bench.run import BenchConfig, BenchResult, ratios, run_bench, table


def test_a_tiny_bench_times_pages_and_exports_and_writes_its_results(tmp_path):
    config = BenchConfig(small=40, large=120, reruns=2, export_rows=(60,), import_rows=(), pages=("visits",), lang="en")
    out = tmp_path / "bench.json"
    lines: list[str] = []
    result = run_bench(config, out, say=lines.append)
    assert set(result.pages) == {"visits"}
    for entry in result.pages.values():
        for size in ("small", "large"):
            assert entry[size]["ok"], entry[size]
            assert entry[size]["errors"] == []
            assert len(entry[size]["times"]) == 2 and entry[size]["median"] > 0
    assert result.floor["large"]["ok"] and result.floor["large"]["median"] > 0
    assert result.pages["visits"]["floor_beside"] > 0  # the floor rerun in the same rounds as the page
    assert {(e["fmt"], e["rows"]) for e in result.exports} == {("csv", 60), ("xlsx", 60)}
    assert all(e["ok"] and e["bytes"] > 0 for e in result.exports)
    assert set(result.ratios) == {"scaling", "overhead"}
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["ratios"] == result.ratios
    text = saved["table"]
    assert text.splitlines()[-3].startswith("scaling") and text.splitlines()[-1].startswith("import")
    assert text.splitlines()[-1].endswith("n/a")
    assert "visits" in text and any("generated" in line for line in lines)


def test_the_worker_reruns_a_page_inside_the_app_shell_as_a_server_does(tmp_path):
    from crm.bench.run import Worker, make_db

    url, _ = make_db(tmp_path, "w.db", 30, 1)
    worker = Worker(url, tmp_path / "w.log")
    try:
        opened = worker.ask(op="open", page="visits", lang="en")
        again = [worker.ask(op="rerun") for _ in range(2)]
    finally:
        worker.close()
    for run in (opened, *again):
        assert run["ok"] and run["errors"] == [] and run["title"] == "Visits received", run
        assert run["sidebar"] > 0 and run["seconds"] > 0  # the shell's sidebar: streamlit_app.py ran too


def test_ratios_take_the_worst_page_and_the_import_against_executemany():
    ok = {"ok": True, "first": 0.1}
    result = BenchResult(config={"small": 1000, "large": 100000, "reruns": 3, "lang": "en"}, started="now")
    result.pages = {"a": {"small": {**ok, "median": 0.010}, "large": {**ok, "median": 0.012}},
                    "b": {"small": {**ok, "median": 0.020}, "large": {**ok, "median": 0.040}},
                    "c": {"small": {"ok": False, "error": "boom"}, "large": {**ok, "median": 0.5}}}
    result.floor = {"small": {**ok, "median": 0.01}, "large": {**ok, "median": 0.01}}
    result.imports = [{"ok": True, "rows": 10, "import_s": 2.0, "baseline_executemany_s": 0.5},
                      {"ok": True, "rows": 26, "import_s": 3.0, "baseline_executemany_s": 1.0}]
    r = ratios(result)
    assert r["scaling"] == {"value": 2.0, "page": "b", "goal": 1.5}
    assert r["overhead"]["value"] == 50.0 and r["overhead"]["page"] == "c"
    assert r["import"] == {"value": 4.0, "rows": 10, "goal": 5.0}
    result.pages["c"]["floor_beside"] = 0.5  # a floor timed beside the page counts, not the first one
    assert ratios(result)["overhead"] == {"value": 4.0, "page": "b", "goal": 3.0}
    result.ratios = r
    text = table(result)
    assert "OVER GOAL" in text and text.rstrip().endswith("(10 rows)")


def test_the_worker_times_the_import_against_a_bare_executemany(sqlite_url):
    from crm.ui.bench_worker import handle

    run = handle({"op": "import", "rows": 40}, sqlite_url)
    assert run["rows"] == 40 and run["import_s"] > 0 and run["baseline_executemany_s"] > 0
    assert run["counts"] and run["peak_mb"] > 0


def test_a_page_over_the_scaling_goal_is_measured_again_and_the_lower_pair_counts():
    from crm.bench.run import _confirm_outliers

    class Stub:
        def __init__(self, seconds):
            self.seconds = list(seconds)

        def ask(self, **request):
            return {"ok": True, "seconds": self.seconds.pop(0) if request["op"] == "rerun" else 0.5, "errors": []}

    ok = {"ok": True, "first": 0.1}
    result = BenchResult(config={}, started="now")
    result.pages = {"calm": {"small": {**ok, "median": 0.010}, "large": {**ok, "median": 0.011}},
                    "noisy": {"small": {**ok, "median": 0.010}, "large": {**ok, "median": 0.050}}}
    config = BenchConfig(reruns=3)
    # each round: the small page, the large page, then the floor beside it in the large worker
    _confirm_outliers(result, config, Stub([0.010] * 3), Stub([0.012, 0.006] * 3), say=lambda _: None)
    noisy = result.pages["noisy"]
    assert noisy["large"]["median"] == 0.012 and noisy["first_try"]["large"]["median"] == 0.05
    assert noisy["floor_beside"] == 0.006
    assert "first_try" not in result.pages["calm"]
    assert any(n.startswith("noisy: measured twice") for n in result.notes)
    assert ratios(result)["scaling"]["value"] == 1.2
