"""Importing spreadsheets: read, map columns, preview (new / duplicate / invalid), commit as one unit.

    sheet = read(data, "guests.xlsx", "visits")
    preview = plan(sheet, "visits", auto_map("visits", sheet.headers))
    result = commit(actor, preview, on_duplicate="skip", progress=callback)
    undo(actor, result.batch_id)

Nothing is lost silently: every row of the file ends up imported, merged, skipped or rejected,
and the report says which and why.
"""

import csv
import functools
import gc
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from crm import writes
from crm.errors import ValidationFailed
from crm.i18n import t
from crm.import_columns import any_kind_scorer, auto_map
from crm.import_match import OnFile
from crm.import_read import Sheet, read_file
from crm.import_rows import Plan, RowReader
from crm.kinds import get_kind
from crm.writes_batch import create_many, list_batches, new_batch_id, save_batch, undo_batch

DECISIONS = ("skip", "merge", "add")
CHUNK = 2000
__all__ = ["DECISIONS", "Preview", "Result", "auto_map", "bench_import", "commit", "list_batches", "plan", "read",
           "report_csv", "report_rows", "undo"]


def _gc_paused(func):
    """Run `func` without the cycle collector: an import allocates hundreds of thousands of small
    objects, and each full collection walks every object in the process (the gazetteer's index
    among them), which cost about a third of the import's time. Reference counting still frees
    everything as usual; the collector is switched back on (if it was on) when `func` returns."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        was_on = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()
    return wrapper


@dataclass
class Preview:
    kind: str
    filename: str
    headers: list[str]
    mapping: dict[str, str | None]
    plans: list[Plan]
    pending: dict[tuple, dict]  # records to create first (cities, organisations named by rows)
    blank_rows: int = 0
    labels: dict[int, dict] = field(default_factory=dict)  # record id on file → {language: label}

    def counts(self) -> dict[str, int]:
        return dict(Counter(p.status for p in self.plans))


@dataclass
class Result:
    batch_id: str | None
    counts: dict[str, int]
    report: list[dict]


@_gc_paused
def read(data: bytes, filename: str, kind_name: str | None = None, sheet: str | None = None) -> Sheet:
    """Read an upload (CSV in any common encoding, or .xlsx) and find its header row."""
    return read_file(data, filename, any_kind_scorer(kind_name), sheet)


@_gc_paused
def plan(sheet: Sheet, kind_name: str, mapping: dict[str, str | None] | None = None, filename: str = "",
         *, session: Session | None = None) -> Preview:
    """Mark every row new, duplicate (of a record on file or of an earlier row) or invalid. Writes nothing."""
    get_kind(kind_name)
    mapping = auto_map(kind_name, sheet.headers) if mapping is None else mapping
    columns = [(i, mapping.get(h)) for i, h in enumerate(sheet.headers) if mapping.get(h)]
    with writes._unit(session) as s:
        reader = RowReader(kind_name, OnFile(s, kind_name))
        plans = []
        first_line: dict[tuple, int] = {}
        for line, cells in sheet.rows:
            p = reader.read(line, cells, columns)
            if p.status != "invalid" and p.match_id is None and p.key is not None:
                if p.key in first_line:
                    p.status, p.match_line = "duplicate", first_line[p.key]
                    p.reason = ("import.same_as_row", {"line": first_line[p.key]})
                else:
                    first_line[p.key] = line
            if p.match_id is not None and p.status != "invalid":
                p.status = "duplicate"
            plans.append(p)
        labels = _labels(s, kind_name, {p.match_id for p in plans if p.match_id})
    return Preview(kind_name, filename, sheet.headers, mapping, plans, reader.pending, sheet.blank_rows, labels)


def _labels(s: Session, kind_name: str, ids: set[int]) -> dict[int, dict[str, str]]:
    """id → {language: label} of the records on file that rows duplicate."""
    from crm.records import options

    out: dict[int, dict[str, str]] = {}
    ordered = sorted(ids)
    for lang in ("en", "zh-TW"):
        for start in range(0, len(ordered), 500):
            for rid, label in options(kind_name, lang, ids=ordered[start:start + 500], limit=500, session=s).items():
                out.setdefault(rid, {})[lang] = label
    return out


def _fill_empty(existing: dict, data: dict) -> dict:
    return {k: v for k, v in data.items()
            if k in existing and existing[k] in (None, "") and v not in (None, "") and not isinstance(v, bool)}


@_gc_paused
def commit(actor: writes.Actor, preview: Preview, *, on_duplicate: str = "skip", decisions: dict[int, str] | None = None,
           progress: Callable[[float], None] | None = None) -> Result:
    """Write the previewed rows in ONE transaction (all or nothing) and record the batch; returns the report.

    Each duplicate is skipped, merged into the record it duplicates (empty fields filled) or added
    anyway, by `decisions[line]` else `on_duplicate`.
    """
    writes.require_write(actor)
    decisions = decisions or {}
    kind = get_kind(preview.kind)
    fields = set(kind.model.model_fields)
    batch_id = new_batch_id()
    tick = progress or (lambda _f: None)
    total = max(1, len(preview.plans))

    def work(s: Session) -> Result:
        outcome: dict[int, str] = {}
        to_create: list[Plan] = []
        merges: list[Plan] = []
        for p in preview.plans:
            if p.status == "invalid":
                outcome[p.line] = "rejected"
                continue
            choice = decisions.get(p.line, on_duplicate) if p.status == "duplicate" else "add"
            if choice == "add":
                to_create.append(p)
            elif choice == "merge":
                merges.append(p)
            else:
                outcome[p.line] = "skipped"
        created: dict[tuple, int] = {}
        needed = {key for p in to_create + merges for _, key in p.needs}  # only for rows that will be written
        for kind_name in ("cities", "organisations"):
            keys = [k for k in preview.pending if k[0] == kind_name and k in needed]
            ids = create_many(actor, kind_name, [preview.pending[k] for k in keys], session=s, batch_id=batch_id)
            created.update(zip(keys, ids, strict=True))
        line_ids: dict[int, int] = {}
        for start in range(0, len(to_create), CHUNK):
            chunk = to_create[start:start + CHUNK]
            payloads = [_payload(p, fields, created) for p in chunk]
            try:
                ids = create_many(actor, preview.kind, payloads, session=s, batch_id=batch_id)
            except ValidationFailed as exc:
                exc.line = chunk[getattr(exc, "row_index", 0)].line
                raise
            for p, rid in zip(chunk, ids, strict=True):
                line_ids[p.line], outcome[p.line] = rid, "imported"
            tick(min(1.0, (start + len(chunk)) / total))
        for p in merges:
            target = p.match_id or line_ids.get(p.match_line)
            if target is None:  # the row it repeats was itself skipped or merged: nothing to merge into
                outcome[p.line] = "skipped"
                continue
            existing = writes.snapshot(s, kind, s.get(kind.model, target))
            fill = _fill_empty(existing, _payload(p, fields, created))
            if fill:
                writes.update(actor, preview.kind, target, fill, None, session=s, action="merge", batch_id=batch_id)
            outcome[p.line] = "merged"
        tally = Counter(outcome.values())
        counts = {k: tally[k] for k in ("imported", "merged", "skipped", "rejected")}
        counts.update(rows=len(preview.plans), blank_rows=preview.blank_rows,
                      **{f"created_{k}": sum(1 for key in created if key[0] == k) for k in ("cities", "organisations")})
        report = [_report_row(p, o) for p in preview.plans if (o := outcome[p.line]) == "skipped" or o == "rejected"]
        save_batch(actor, batch_id, preview.kind, preview.filename, counts, report, session=s)
        tick(1.0)
        return Result(batch_id, counts, report)

    return writes.in_one_transaction(work)


def dry_run(preview: Preview, on_duplicate: str = "skip", decisions: dict[int, str] | None = None) -> Result:
    """What `commit` would report, without writing."""
    decisions = decisions or {}
    outcome = {}
    for p in preview.plans:
        if p.status == "invalid":
            outcome[p.line] = "rejected"
        elif p.status == "new":
            outcome[p.line] = "imported"
        else:
            choice = decisions.get(p.line, on_duplicate)
            outcome[p.line] = {"add": "imported", "merge": "merged"}.get(choice, "skipped")
    counts = {k: sum(1 for v in outcome.values() if v == k) for k in ("imported", "merged", "skipped", "rejected")}
    counts.update(rows=len(preview.plans), blank_rows=preview.blank_rows,
                  **{f"created_{k}": len({key for p in preview.plans if outcome[p.line] in ("imported", "merged")
                                          for _, key in p.needs if key[0] == k}) for k in ("cities", "organisations")})
    report = [_report_row(p, outcome[p.line]) for p in preview.plans if outcome[p.line] in ("skipped", "rejected")]
    return Result(None, counts, report)


def _payload(p: Plan, fields: set[str], created: dict[tuple, int]) -> dict:
    data = {k: v for k, v in p.data.items() if k in fields}
    for target, key in p.needs:
        data[target] = created[key]
    return data


def _report_row(p: Plan, outcome: str) -> dict:
    reason = p.reason or ("import.skipped", {})
    return {"line": p.line, "outcome": outcome, "label": p.label, "reason": reason[0], "params": reason[1],
            "record_id": p.match_id, "same_as_line": p.match_line,
            "errors": {k: [v[0], v[1]] for k, v in p.errors.items()} if p.errors else {}}


def reason_text(row_or_plan, lang: str) -> str:
    """Why a row was skipped, rejected or marked duplicate, in `lang`."""
    if isinstance(row_or_plan, Plan):
        errors = row_or_plan.errors
        reason = row_or_plan.reason
    else:
        errors = {k: tuple(v) for k, v in (row_or_plan.get("errors") or {}).items()}
        reason = (row_or_plan["reason"], row_or_plan.get("params") or {})
    if errors:
        return "; ".join(f"{t('import.field.' + k, lang)}: {t(key, lang, **params)}"
                         for k, (key, params) in errors.items())
    if reason is None:
        return ""
    key, params = reason
    params = {**params}
    if "field" in params:
        params["field"] = t(f"import.field.{params['field']}", lang)
    return t(key, lang, **params)


def report_rows(result: Result, lang: str) -> list[dict]:
    """The report's rows (every skipped or rejected row) with the reason in `lang`."""
    return [{t("import.col.line", lang): r["line"], t("import.col.outcome", lang): t(f"import.outcome.{r['outcome']}", lang),
             t("import.col.label", lang): r["label"], t("import.col.reason", lang): reason_text(r, lang)}
            for r in result.report]


def report_csv(result: Result, lang: str) -> bytes:
    """The import report as CSV (UTF-8 with BOM): the counts, then every skipped or rejected row."""
    from crm.text import neutralise_formula

    out = io.StringIO()
    writer = csv.writer(out)
    for key in ("rows", "imported", "merged", "skipped", "rejected", "created_cities", "created_organisations",
                "blank_rows"):
        writer.writerow([t(f"import.count.{key}", lang), result.counts.get(key, 0)])
    writer.writerow([])
    rows = report_rows(result, lang)
    if rows:
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow([neutralise_formula(v) for v in row.values()])
    return out.getvalue().encode("utf-8-sig")


def undo(actor: writes.Actor, batch_id: str) -> int:
    """Undo a whole import in one transaction (audited); returns the number of records touched."""
    return undo_batch(actor, batch_id)


def bench_import(rows: int, engine_url: str) -> dict:
    """Timings for importing `rows` real-world-shaped city rows into `engine_url` (a scratch database: it is
    written to), read + preview + commit, against a bare executemany of the same rows (rolled back); keys
    `import_s`, `baseline_executemany_s`, `ratio`, `counts`, and `second_import_s` for the same file again."""
    from crm.import_bench import bench

    return bench(rows, engine_url)
