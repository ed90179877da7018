"""`computewatch cases ...`, `audit verify`, `keys create|list|revoke`, `report` and `serve`."""

from __future__ import annotations

import getpass
import textwrap
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.box import SIMPLE_HEAD
from rich.measure import Measurement
from rich.table import Table

from computewatch.atomic import atomic_write
from computewatch.commands.common import WorkspaceOption, err, out, print_table
from computewatch.errors import ComputewatchError, InputError, UsageError, refuse_damaged

cases_app = typer.Typer(no_args_is_help=True, help="Cases: alerts and flagged results an analyst works.")
audit_app = typer.Typer(no_args_is_help=True, help="The hash-chained audit log of every change and view.")
keys_app = typer.Typer(no_args_is_help=True, help="API keys (viewer, analyst, admin) for the HTTP API and web app.")

ActorOption = Annotated[str | None, typer.Option("--actor", help="who is acting, for the audit log (default: cli:$USER)")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _db(workspace: Path | None):  # type: ignore[no-untyped-def]
    from computewatch.cases.db import open_case_db

    return open_case_db(workspace)


@cases_app.command("import")
def import_cases(
    files: Annotated[list[Path], typer.Argument(help="JSON lines: alerts (computewatch detect), screening results, tender findings")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Open a case for every alert and every flagged screening or tender record not already open.

    Importing the same file again adds nothing. Bad lines are reported by file and line (exit code 1).
    """
    from computewatch.cases.importing import import_records, read_jsonl
    from computewatch.cases.store import CaseStore

    problems = []
    read = []
    for path in files:  # every file is read before the case database is opened
        records, lines, bad = read_jsonl(path)
        problems += bad
        read.append((path, records, lines))
    refuse_damaged(problems)
    with _db(workspace) as db:
        for path, records, lines in read:
            with db.session() as session:
                summary = import_records(CaseStore(session, _actor(actor)), records, str(path), lines)
            problems += summary.problems
            out.print(f"{path}: {summary.text()}", highlight=False)
    if problems:
        raise InputError.many(problems)


@cases_app.command("list")
def list_cases(
    status: Annotated[str | None, typer.Option(help="new, in_review, escalated, closed_true, closed_false")] = None,
    severity: Annotated[str | None, typer.Option()] = None,
    scenario: Annotated[str | None, typer.Option()] = None,
    all_cases: Annotated[bool, typer.Option("--all", help="include closed cases")] = False,
    assignee: Annotated[str | None, typer.Option(help="only the cases of this assignee")] = None,
    sort: Annotated[str, typer.Option(help="severity (most severe first), oldest (longest open first) or newest")] = "severity",
    limit: Annotated[int, typer.Option()] = 50,
    as_json: JsonOption = False,
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """The case queue, most severe first or by age (open cases unless --all or --status).

    One open case per subject: `subjects` (in --json) are who or what each case is about."""
    from computewatch.cases.actions import CaseActions
    from computewatch.cases.store import CaseFilter

    filters = CaseFilter(status=status, severity=severity, scenario=scenario, assignee=assignee,
                         open_only=not all_cases and not status, sort=sort)  # fmt: skip
    with _db(workspace) as db:
        rows, total = CaseActions(db, _actor(actor)).queue(filters, limit, 0)
    if as_json:
        out.print_json(orjson.dumps({"total": total, "results": rows}).decode())
        return
    # narrow columns first, the title last and folded into what is left, so the queue stays a table in 80 columns
    headers = ("#", "severity", "S", "n", "age", "status", "who")
    cells = [(str(c["id"]), c["severity"], (c["scenario"] or "").removeprefix("S"), str(c["alerts"]), c["age"],
              c["status"], c["assignee"] or "") for c in rows]  # fmt: skip
    narrow = Table(*headers, box=SIMPLE_HEAD)
    for row in cells:
        narrow.add_row(*row)
    left = out.width - Measurement.get(out, out.options.update(max_width=10_000), narrow).minimum - 3
    width = max(16, left)
    table = Table(*headers, title=f"{total} cases (S: scenario, n: alerts; `cases show N` for the whole case)", box=SIMPLE_HEAD)
    table.add_column("title", overflow="fold", max_width=width)
    for row, c in zip(cells, rows, strict=True):
        table.add_row(*row, textwrap.shorten(c["title"], width=2 * width - 2, placeholder=" …"))
    print_table(out, table)


@cases_app.command("show")
def show_case(case_id: int, actor: ActorOption = None, workspace: WorkspaceOption = None) -> None:
    """One case as JSON: its alerts (with when each joined), evidence, entities, notes, timeline, the
    suppressions its decision made and earlier decisions on its list matches (the view is audited)."""
    from computewatch.cases.actions import CaseActions

    with _db(workspace) as db:
        data = CaseActions(db, _actor(actor)).detail(case_id)
    out.print_json(orjson.dumps(data).decode())


@cases_app.command("status")
def set_status(case_id: int, status: str, actor: ActorOption = None, workspace: WorkspaceOption = None) -> None:
    """Move an open case: new, in_review or escalated."""
    from computewatch.cases.store import CaseStore

    with _db(workspace) as db, db.session() as session:
        case = CaseStore(session, _actor(actor)).set_status(case_id, status)
        out.print(f"case {case.id} is now {case.status}")


@cases_app.command("assign")
def assign(case_id: int, assignee: str, actor: ActorOption = None, workspace: WorkspaceOption = None) -> None:
    """Assign a case (an empty name unassigns)."""
    from computewatch.cases.store import CaseStore

    with _db(workspace) as db, db.session() as session:
        case = CaseStore(session, _actor(actor)).assign(case_id, assignee)
        out.print(f"case {case.id} is assigned to {case.assignee or 'nobody'}")


@cases_app.command("decide")
def decide(
    case_id: int,
    outcome: Annotated[str, typer.Argument(help="true (a true positive) or false (a false positive)")],
    reason: Annotated[str, typer.Option("--reason", help="why (required)")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Close a case as true or false, with the reason."""
    from computewatch.cases.store import CaseStore

    if outcome not in ("true", "false"):
        raise UsageError("OUTCOME: give true or false")
    with _db(workspace) as db, db.session() as session:
        case = CaseStore(session, _actor(actor)).decide(case_id, outcome == "true", reason)
        out.print(f"case {case.id} is {case.status}")


def _bulk_report(verb: str, result: dict[str, object]) -> None:
    done = result["done"]
    skipped = result["skipped"]
    assert isinstance(done, list) and isinstance(skipped, list)
    out.print(f"{verb} {len(done)} cases: {', '.join(map(str, done)) or 'none'}", highlight=False)
    for s in skipped:
        err.print(f"case {s['id']} not changed: {s['reason']}", highlight=False)
    if skipped and not done:
        raise ComputewatchError("no case was changed")


@cases_app.command("bulk-assign")
def bulk_assign(
    assignee: Annotated[str, typer.Argument(help="who takes the cases (an empty name unassigns)")],
    case_ids: Annotated[list[int], typer.Argument(help="the cases")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Assign many cases at once (each assignment is audited)."""
    from computewatch.cases.actions import CaseActions

    with _db(workspace) as db:
        _bulk_report(f"assigned to {assignee or 'nobody'}:", CaseActions(db, _actor(actor)).bulk_assign(case_ids, assignee))


@cases_app.command("bulk-decide")
def bulk_decide(
    outcome: Annotated[str, typer.Argument(help="true (true positives) or false (false positives)")],
    case_ids: Annotated[list[int], typer.Argument(help="the cases")],
    reason: Annotated[str, typer.Option("--reason", help="one reason for every case (required)")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Close many cases with one outcome and one reason; cases already closed are named and left as they are.

    Closing as false suppresses the cases' list matches (see `cases suppressions`)."""
    from computewatch.cases.actions import CaseActions

    if outcome not in ("true", "false"):
        raise UsageError("OUTCOME: give true or false")
    with _db(workspace) as db:
        result = CaseActions(db, _actor(actor)).bulk_decide(case_ids, outcome == "true", reason)
    _bulk_report(f"closed as {outcome}:", result)


@cases_app.command("suppressions")
def list_suppressions(
    all_rows: Annotated[bool, typer.Option("--all", help="include lifted suppressions")] = False,
    words: Annotated[str | None, typer.Option("--q", help="words in the party or the list entry")] = None,
    limit: Annotated[int, typer.Option()] = 100,
    as_json: JsonOption = False,
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """List matches closed as false positives: not alerted again by `detect` or `rescreen` while the
    party's screened data and the list entry keep the content hashes they were decided on."""
    from computewatch.cases.actions import CaseActions

    with _db(workspace) as db:
        rows, total = CaseActions(db, _actor(actor)).suppressions(not all_rows, words, limit, 0)
    if as_json:
        out.print_json(orjson.dumps({"total": total, "results": rows}).decode())
        return
    table = Table("#", "party", "list entry", "case", "decided", "by", "reason", "state", title=f"{total} suppressions")
    for r in rows:
        state = "active" if r["active"] else f"lifted {str(r['lifted_at'])[:10]} by {r['lifted_by']}"
        table.add_row(str(r["id"]), f"{r['party_name'] or r['party']} ({r['party']})", f"{r['caption'] or r['entity_id']} ({r['entity_id']})",
                      str(r["case_id"]), str(r["created_at"])[:10], r["created_by"], r["reason"][:60], state)  # fmt: skip
    print_table(out, table)


@cases_app.command("lift")
def lift(
    suppression_id: Annotated[int, typer.Argument(help="the suppression (see `cases suppressions`)")],
    reason: Annotated[str, typer.Option("--reason", help="why (required)")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Lift a suppression: the next `detect` or `rescreen` alerts on the match again (audited)."""
    from computewatch.cases.actions import CaseActions

    with _db(workspace) as db:
        row = CaseActions(db, _actor(actor)).lift(suppression_id, reason)
    out.print(f"suppression {row['id']} lifted: {row['party_name'] or row['party']} x {row['caption'] or row['entity_id']} "
              f"(case {row['case_id']}) will be alerted again", highlight=False)  # fmt: skip


@cases_app.command("reopen")
def reopen(
    case_id: int,
    reason: Annotated[str, typer.Option("--reason", help="why (required)")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Reopen a decided case; the suppressions its false-positive decision made are lifted."""
    from computewatch.cases.actions import CaseActions

    with _db(workspace) as db:
        data = CaseActions(db, _actor(actor)).reopen(case_id, reason, show=True)
    out.print(f"case {case_id} is now {data['status']}", highlight=False)


@cases_app.command("note")
def note(case_id: int, text: str, actor: ActorOption = None, workspace: WorkspaceOption = None) -> None:
    """Add a note to a case."""
    from computewatch.cases.store import CaseStore

    with _db(workspace) as db, db.session() as session:
        CaseStore(session, _actor(actor)).add_note(case_id, text)
    out.print(f"note added to case {case_id}")


@audit_app.command("verify")
def audit_verify(
    anchors: Annotated[Path | None, typer.Option("--anchors", help="anchors file written by `audit anchor`: every anchored record must still be there, unchanged")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Walk the hash chain; exit 1 and name each record when anything was edited or deleted.

    With an audit key (COMPUTEWATCH_AUDIT_KEY or COMPUTEWATCH_AUDIT_KEY_FILE) the head's signature is
    checked too; with --anchors, truncation and a recomputed chain show against the anchors."""
    from computewatch.cases.anchor import read_anchors
    from computewatch.cases.audit import AuditLog

    anchor_list = read_anchors(anchors) if anchors else None
    with _db(workspace) as db, db.session() as session:
        verdict = AuditLog(session).verify(anchor_list, str(anchors or ""))
    checked = "head signature checked" if verdict.head_checked else "head signature not checked (no audit key)"
    if anchors:
        checked += f", {verdict.anchors} anchors checked"
    if verdict.intact:
        out.print(f"audit log intact: {verdict.records} records, every hash and link checks out; {checked}")
        return
    for problem in verdict.problems:
        err.print(f"[red]tampered:[/red] {problem}", highlight=False)
    raise ComputewatchError(f"audit log NOT intact: {len(verdict.problems)} problems in {verdict.records} records ({checked})")


@audit_app.command("anchor")
def audit_anchor(
    out_file: Annotated[Path, typer.Option("--out", help="anchors file (JSON lines); the signed head is appended, nothing is rewritten")],
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export the signed head of the audit log to a file kept outside the case database.

    Needs the audit key. The log is verified first (against the file's earlier anchors too);
    a log that does not check out is not anchored."""
    from computewatch.cases.anchor import append_anchor, read_anchors
    from computewatch.cases.audit import AuditLog

    earlier = read_anchors(out_file) if out_file.exists() and out_file.stat().st_size else []
    with _db(workspace) as db:
        with db.session() as session:
            log = AuditLog(session)
            verdict = log.verify(earlier, str(out_file))
        if not verdict.intact:
            for problem in verdict.problems:
                err.print(f"[red]tampered:[/red] {problem}", highlight=False)
            raise ComputewatchError(f"not anchored: the audit log does not check out ({len(verdict.problems)} problems)")
        with db.session() as session:
            anchor = AuditLog(session).anchor(_actor(actor), str(out_file))
    append_anchor(out_file, anchor)
    out.print(f"anchored audit record {anchor['seq']} ({anchor['hash'][:16]}...) to {out_file}", highlight=False)


@audit_app.command("keygen")
def audit_keygen(out_file: Annotated[Path, typer.Option("--out", help="key file to create (readable by its owner only)")]) -> None:
    """Make a random audit key file; point COMPUTEWATCH_AUDIT_KEY_FILE at it (keep it away from the case database)."""
    import os
    import secrets

    if out_file.exists():
        raise UsageError(f"{out_file} exists; an audit key is not overwritten")
    fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    out.print(f"audit key written to {out_file}; set COMPUTEWATCH_AUDIT_KEY_FILE={out_file}", highlight=False)


@keys_app.command("create")
def keys_create(
    name: str,
    role: Annotated[str, typer.Option("--role", help="viewer, analyst or admin")],
    rate_limit: Annotated[int | None, typer.Option("--rate-limit", min=1, max=1_000_000, help="requests per minute for this key (default from settings)")] = None,
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    from computewatch.cases.keys import create_api_key
    from computewatch.cases.models import ROLES

    if role not in ROLES:
        raise UsageError(f"--role: choose one of {', '.join(ROLES)}")
    with _db(workspace) as db, db.session() as session:
        row, key = create_api_key(session, name, role, _actor(actor), rate_limit)
    err.print(f"API key for {row.name} ({row.role}); shown once, store it now:")
    out.print(key, highlight=False)


@keys_app.command("list")
def keys_list(workspace: WorkspaceOption = None) -> None:
    """Keys by name, role and state (never the secret)."""
    from computewatch.cases.keys import list_api_keys

    table = Table("name", "role", "key id", "rate limit/min", "created", "revoked")
    with _db(workspace) as db, db.session() as session:
        for k in list_api_keys(session):
            table.add_row(k.name, k.role, k.key_id, str(k.rate_limit_per_minute or "default"), str(k.created_at)[:19], str(k.revoked_at or "")[:19])
    print_table(out, table)


@keys_app.command("revoke")
def keys_revoke(name: str, actor: ActorOption = None, workspace: WorkspaceOption = None) -> None:
    """Revoke a key and end its web sessions."""
    from computewatch.cases.keys import revoke_api_key

    with _db(workspace) as db, db.session() as session:
        revoke_api_key(session, name, _actor(actor))
    out.print(f"key {name} revoked")


def report(
    case_id: int,
    fmt: Annotated[str, typer.Option("--format", help="html or pdf")] = "html",
    out_file: Annotated[Path | None, typer.Option("--out", help="output file (default: case-ID.FORMAT)")] = None,
    actor: ActorOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Case report: summary, evidence, ownership paths, sources and decision history."""
    from computewatch.reports import build_report
    from computewatch.workspace import resolve_home

    target = out_file or Path(f"case-{case_id}.{fmt}")
    with _db(workspace) as db:
        content = build_report(db, resolve_home(workspace), case_id, _actor(actor), fmt)
    with atomic_write(target) as fh:
        fh.write(content)
    out.print(f"report of case {case_id} written to {target}", highlight=False)


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workspace: WorkspaceOption = None,
    workers: Annotated[int | None, typer.Option(help="processes sharing one index loaded before they fork; 0 = one per CPU (default: setting api.workers)")] = None,
    access_log: Annotated[bool | None, typer.Option("--access-log/--no-access-log", help="log every request (default: setting api.access_log)")] = None,
    forwarded_allow_ips: Annotated[str, typer.Option(help="behind a proxy: the proxies' addresses (comma-separated, or '*') whose X-Forwarded-For/-Proto are believed")] = "127.0.0.1",
    root_path: Annotated[str, typer.Option(help="behind a proxy: the path prefix it serves the application under, e.g. /computewatch")] = "",
) -> None:
    """Web app (/ui/) and HTTP API (OpenAPI at /docs) over the workspace and its cases."""
    from computewatch.api.server import ServeOptions, run_server
    from computewatch.commands.rescreen import complete_pending
    from computewatch.settings import default_settings
    from computewatch.workspace import Workspace

    with Workspace(workspace) as ws:
        complete_pending(ws)  # a list change a crash (or --no-rescreen) left un-screened
    settings = default_settings()
    api = settings.api
    if workers is not None and workers < 0:
        raise typer.BadParameter("--workers must be 0 (one per CPU) or more")
    options = ServeOptions(host, port, api.workers if workers is None else workers, api.access_log if access_log is None else access_log,
                           forwarded_allow_ips=forwarded_allow_ips, root_path=root_path)  # fmt: skip
    run_server(workspace, options, settings)


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")
    app.command("report")(report)
    app.command("serve")(serve)
