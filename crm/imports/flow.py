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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from crm.errors import ValidationFailed
from crm.i18n import t
from crm.imports.columns import any_kind_scorer, auto_map, field_label
from crm.imports.match import OnFile
from crm.imports.preview import ADD, MERGE, OUTCOMES, REJECT, SKIP, Preview, positions
from crm.imports.read import Sheet, read_file
from crm.imports.rows import Plan, RowReader
from crm.imports.spool import Packed
from crm.models.kinds import get_kind
from crm.store import writes
from crm.store.batch import create_many, list_batches, new_batch_id, stage, undo_batch

DECISIONS = ("skip", "merge", "add")
CHUNK = 2000
STAGED = 0.8  # the share of an import's progress bar that checking and staging its rows fills
__all__ = ["DECISIONS", "Preview", "Result", "auto_map", "commit", "list_batches", "plan", "read",
           "report_csv", "report_rows", "saved_report_csv", "undo"]


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
class Result:
    batch_id: str | None
    counts: dict[str, int]
    report: Sequence[dict]  # every skipped or rejected row (a `Packed` list after an import)


@_gc_paused
def read(data: bytes, filename: str, kind_name: str | None = None, sheet: str | None = None,
         encoding: str | None = None) -> Sheet:
    """Read an upload (CSV in any common encoding, or `encoding` as chosen; or .xlsx) and find its header row."""
    return read_file(data, filename, any_kind_scorer(kind_name), sheet, encoding)


@_gc_paused
def plan(sheet: Sheet, kind_name: str, mapping: dict[str, str | None] | None = None, filename: str = "",
         *, session: Session | None = None) -> Preview:
    """Mark every row new, duplicate (of a record on file or of an earlier row) or invalid. Writes nothing."""
    get_kind(kind_name)
    mapping = auto_map(kind_name, sheet.headers) if mapping is None else mapping
    columns = [(i, target) for i, h in enumerate(sheet.headers) if (target := mapping.get(h))]
    preview = Preview(kind_name, filename, sheet.headers, mapping, blank_rows=sheet.blank_rows)
    with writes.unit(session) as s:
        reader = RowReader(kind_name, OnFile(s, kind_name))
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
            preview.add(p)
        preview.pending = reader.pending
        preview.labels = _labels(s, kind_name, set(preview.match_ids) - {0})
    return preview


def _labels(s: Session, kind_name: str, ids: set[int]) -> dict[int, dict[str, str]]:
    """id → {language: label} of the records on file that rows duplicate."""
    from crm.records.queries import options

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
    anyway, by `decisions[line]` else `on_duplicate`. The rows are walked a chunk at a time. Every row is
    checked and staged first (crm.store.batch.stage, reading only), then all are written at once, so the
    write (which on SQLite keeps other saves waiting) is short.
    """
    writes.require_write(actor)
    kind = get_kind(preview.kind)
    fields = set(kind.model.model_fields)
    batch_id = new_batch_id()
    tick = progress or (lambda _f: None)
    total = max(1, len(preview))
    outcome = preview.outcomes(on_duplicate, decisions)
    # earlier rows that later rows merge into: their new ids are kept
    targets = {preview.match_lines[i] for i in positions(outcome, MERGE) if not preview.match_ids[i]}

    def work(s: Session) -> Result:
        bulk = stage(actor, batch_id, session=s, spool=Packed)
        created: dict[tuple, Any] = {}  # the places' staged records (crm.store.staged.Later)
        if preview.pending:  # only the places named by rows that will be written
            needed = {key for p in _walk(preview, outcome, (ADD, MERGE)) for _, key in p.needs}
            for kind_name in ("cities", "organisations"):
                keys = [k for k in preview.pending if k[0] == kind_name and k in needed]
                ids = create_many(actor, kind_name, [preview.pending[k] for k in keys], session=s, batch_id=batch_id,
                                  into=bulk)
                created.update(zip(keys, ids, strict=True))
        line_ids: dict[int, Any] = {}
        report = Packed()
        chunk: list[tuple[int, dict]] = []

        def flush() -> None:
            try:
                ids = create_many(actor, preview.kind, [payload for _, payload in chunk], session=s,
                                  batch_id=batch_id, into=bulk)
            except ValidationFailed as exc:
                exc.line = chunk[exc.row_index][0]
                raise
            line_ids.update((line, rid) for (line, _), rid in zip(chunk, ids, strict=True) if line in targets)
            chunk.clear()

        for i, p in enumerate(preview.plans):
            done = outcome[i]
            if done == ADD:
                chunk.append((p.line, _payload(p, fields, created)))
                if len(chunk) >= CHUNK:
                    flush()
            elif done != MERGE:
                report.append(_report_row(p, OUTCOMES[done]))
            if (i + 1) % CHUNK == 0:
                tick(STAGED * min(1.0, (i + 1) / total))
        if chunk:
            flush()
        for p in _walk(preview, outcome, (MERGE,)) if MERGE in outcome else ():
            target = p.match_id or line_ids[p.match_line]
            existing = bulk.current(preview.kind, target)
            fill = _fill_empty(existing, _payload(p, fields, created))
            if fill:
                bulk.update(preview.kind, target, fill, existing["version"], action="merge")
        counts = _counts(preview, outcome)
        counts.update({f"created_{k}": sum(1 for key in created if key[0] == k) for k in ("cities", "organisations")})
        bulk.save_batch(preview.kind, preview.filename, counts, report)
        bulk.write(lambda f: tick(STAGED + (1 - STAGED) * f))  # the write: short, all of it at once
        tick(1.0)
        return Result(batch_id, counts, report)

    return writes.in_one_transaction(work)


def _walk(preview: Preview, outcome: bytearray, wanted: tuple[int, ...]):
    """The plans of the rows whose outcome is one of `wanted` (a chunk of the preview decoded at a time)."""
    for i, p in enumerate(preview.plans):
        if outcome[i] in wanted:
            yield p


def _counts(preview: Preview, outcome: bytearray) -> dict[str, int]:
    counts = {name: outcome.count(code) for code, name in enumerate(OUTCOMES)}
    counts.update(rows=len(preview), blank_rows=preview.blank_rows)
    return counts


def dry_run(preview: Preview, on_duplicate: str = "skip", decisions: dict[int, str] | None = None,
            *, details: bool = True) -> Result:
    """What `commit` would report, without writing (`details=False`: the counts of rows only, quickly)."""
    outcome = preview.outcomes(on_duplicate, decisions)
    counts = _counts(preview, outcome)
    if not details:
        return Result(None, counts, [])
    report = Packed()
    needs: set[tuple] = set()
    for i, p in enumerate(preview.plans):
        if outcome[i] in (SKIP, REJECT):
            report.append(_report_row(p, OUTCOMES[outcome[i]]))
        else:
            needs.update(key for _, key in p.needs)
    counts.update({f"created_{k}": sum(1 for key in needs if key[0] == k) for k in ("cities", "organisations")})
    return Result(None, counts, report)


def _payload(p: Plan, fields: set[str], created: dict[tuple, int]) -> dict:
    data = {k: v for k, v in p.data.items() if k in fields}
    for target, key in p.needs:
        data[target] = created[key]
    return data


def _report_row(p: Plan, outcome: str) -> dict:
    reason = p.reason or ("import.skipped", {})  # a merge with nothing to merge into
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
        return "; ".join(f"{field_label(k, lang)}: {t(key, lang, **params)}"
                         for k, (key, params) in errors.items())
    if reason is None:
        return ""
    key, params = reason
    params = {**params}
    if "field" in params:
        params["field"] = field_label(params["field"], lang)
    return t(key, lang, **params)


def _report_row_text(r: dict, lang: str) -> dict:
    return {t("import.col.line", lang): r["line"], t("import.col.outcome", lang): t(f"import.outcome.{r['outcome']}", lang),
            t("import.col.label", lang): r["label"], t("import.col.reason", lang): reason_text(r, lang)}


def report_rows(result: Result, lang: str) -> list[dict]:
    """The report's rows (every skipped or rejected row) with the reason in `lang`."""
    return [_report_row_text(r, lang) for r in result.report]


def report_csv(result: Result, lang: str) -> bytes:
    """The import report as CSV (UTF-8 with BOM): the counts, then every skipped or rejected row."""
    return _report_csv(result.counts, result.report, lang)


def saved_report_csv(batch_id: str, lang: str) -> bytes:
    """An earlier import's report as `report_csv` gave it then, from its counts and its rows on file."""
    from crm.store.batch import batch_counts, batch_report

    return _report_csv(batch_counts(batch_id), batch_report(batch_id), lang)


def _report_csv(counts: dict, report, lang: str) -> bytes:
    from crm.text import neutralise_formula

    out = io.StringIO()
    writer = csv.writer(out)
    for key in ("rows", "imported", "merged", "skipped", "rejected", "created_cities", "created_organisations",
                "blank_rows"):
        writer.writerow([t(f"import.count.{key}", lang), counts.get(key, 0)])
    writer.writerow([])
    header = True
    for entry in report:
        row = _report_row_text(entry, lang)
        if header:
            writer.writerow(list(row))
            header = False
        writer.writerow([neutralise_formula(v) for v in row.values()])
    return out.getvalue().encode("utf-8-sig")


def undo(actor: writes.Actor, batch_id: str) -> int:
    """Undo a whole import in one transaction (audited); returns the number of records touched."""
    return undo_batch(actor, batch_id)

