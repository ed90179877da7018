"""Gather a case, its decision history and the ownership paths of its entities; render HTML or PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from computewatch.cases.actions import detail_of
from computewatch.cases.db import CaseDB
from computewatch.cases.store import CaseStore
from computewatch.cases.views import STATUS_LABELS
from computewatch.errors import ComputewatchError, UsageError

FORMATS = ("html", "pdf")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("computewatch.reports", "templates"), autoescape=select_autoescape(default=True))
    env.globals["STATUS_LABELS"] = STATUS_LABELS
    return env


def ownership_of(workspace: Path, entity_ids: list[str], as_of: date) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Owners reports for the entities that are in the workspace's graph; notes for the others."""
    reports: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    if not entity_ids:
        return reports, notes
    try:
        from computewatch.graph.report import owners_report
        from computewatch.graph.store import GraphStore
        from computewatch.workspace import Workspace

        with Workspace(workspace) as ws:
            store = GraphStore(ws)
            for eid in entity_ids:
                try:
                    reports[eid] = owners_report(store, eid, as_of)
                except ComputewatchError:
                    notes.append(f"{eid}: not in the ownership graph")
    except Exception as exc:  # the workspace may be locked by another process: the report still renders
        notes.append(f"ownership paths unavailable ({type(exc).__name__}; the workspace may be in use)")
    return reports, notes


REPORTED_TEXT_CHARS = 2_000  # of a tender's notice text, in the report's copy of the record


def _record_for_report(record: Any) -> Any:
    """The imported record as the report shows it: a notice's full text (kept in tender records, up to
    1,000,000 characters) is cut to its start, so the report stays a report."""
    if isinstance(record, dict) and isinstance(record.get("text"), str) and len(record["text"]) > REPORTED_TEXT_CHARS:
        text = record["text"]
        return {**record, "text": f"{text[:REPORTED_TEXT_CHARS]}... ({len(text) - REPORTED_TEXT_CHARS} characters more)"}
    return record


def report_html(case: dict[str, Any], ownership: dict[str, dict[str, Any]], notes: list[str], generated_by: str) -> str:
    changes = [t for t in case["timeline"] if not t["action"].startswith("view")]
    records = case.get("alert_records") or [{  # a case given without its alerts: the record it was opened from
        "summary": case.get("summary", ""), "severity": case.get("severity", ""), "detector": case.get("detector"),
        "scenario": case.get("scenario"), "score": case.get("score", 0.0), "as_of": case.get("as_of"), "alert_id": None,
        "evidence": case.get("evidence", []), "record": case.get("record"), "joined_at": case.get("created_at"), "origin": ""}]
    case = {**case, "record": _record_for_report(case.get("record")),
            "alert_records": [{**a, "record": _record_for_report(a.get("record"))} for a in records]}
    return _environment().get_template("report.html").render(
        case=case, ownership=ownership, ownership_notes=notes, changes=changes, generated_by=generated_by,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )  # fmt: skip


def _no_fetching() -> Any:
    """A URL fetcher that follows nothing but data: URLs: the report is self-contained, and whatever a
    case carries must never make the server open a file or a URL while it renders."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # older WeasyPrint: a plain function

        def refuse(url: str) -> Any:
            raise ValueError(f"the report fetches nothing ({url[:60]})")

        return refuse
    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching()).write_pdf()
    return pdf


def build_report(db: CaseDB, workspace: Path, case_id: int, actor: str, fmt: str = "html") -> bytes:
    if fmt not in FORMATS:
        raise UsageError(f"--format: choose one of {', '.join(FORMATS)}")
    with db.session() as session:
        data = detail_of(CaseStore(session, actor), case_id, purpose=f"report ({fmt})")
    entity_ids = list(dict.fromkeys(e["entity_id"] for e in data["entities"] if e["entity_id"]))
    as_of = _as_of(data.get("as_of"))
    ownership, notes = ownership_of(workspace, entity_ids, as_of)
    html = report_html(data, ownership, notes, actor)
    return html_to_pdf(html) if fmt == "pdf" else html.encode()


def _as_of(text: str | None) -> date:
    try:
        return date.fromisoformat(str(text)[:10]) if text else date.today()
    except ValueError:
        return date.today()
