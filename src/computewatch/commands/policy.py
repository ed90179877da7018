"""`computewatch classify` and `computewatch rules list|show`: parse, call policy/, format."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from computewatch.commands.common import print_table
from computewatch.errors import UsageError
from computewatch.policy import EndUser, Specs, classify_accelerator
from computewatch.policy.catalogue import catalogue, describe
from computewatch.policy.rules import Rule, Status, get_rule, load_rules

out = Console(highlight=False)

rules_app = typer.Typer(no_args_is_help=True, help="Export-control rule records: what is in force at a date.")


def _end_user_problem(err: ValueError, options: dict[str, tuple[str, str | None]]) -> str:
    """'--end-user-hq 'XX': not an ISO 3166-1 country code' from pydantic's error (its last line is only a URL)."""
    from pydantic import ValidationError

    if not isinstance(err, ValidationError):
        return str(err)
    parts = []
    for e in err.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        option, value = options.get(field, (field, None))
        parts.append(f"{option} {value!r}: {str(e['msg']).removeprefix('Value error, ')}" if value is not None else f"{option}: {e['msg']}")
    return "; ".join(parts)


def _day(text: str | None, option: str) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise UsageError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from err


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def classify(
    chip: Annotated[str | None, typer.Argument(help="catalogue name or alias, e.g. H100-SXM, A100, H20, 'A800 80GB'")] = None,
    tpp: Annotated[float | None, typer.Option("--tpp", help="total processing performance, for parts not in the catalogue")] = None,
    die_area: Annotated[float | None, typer.Option("--die-area", help="applicable die area in mm2 (with --tpp)")] = None,
    not_datacenter: Annotated[bool, typer.Option("--not-datacenter", help="with --tpp: not designed or marketed for datacenters")] = False,
    memory_bandwidth: Annotated[float | None, typer.Option("--memory-bandwidth", help="with --tpp: DRAM/HBM bandwidth, GB/s")] = None,
    interconnect: Annotated[float | None, typer.Option("--interconnect", help="with --tpp: bidirectional chip-to-chip rate, GB/s")] = None,
    destination: Annotated[str | None, typer.Option("--destination", help="ISO 3166-1 alpha-2 country code")] = None,
    on: Annotated[str | None, typer.Option("--date", help="as of this day, YYYY-MM-DD (default today)")] = None,
    end_user_listed: Annotated[bool, typer.Option("--end-user-listed", help="the end user is on the Entity List")] = False,
    end_user_affiliate: Annotated[bool, typer.Option("--end-user-affiliate", help="the end user is at least 50% owned by listed parties")] = False,
    end_user_hq: Annotated[str | None, typer.Option("--end-user-hq", help="country of the end user's headquarters")] = None,
    end_user_parent: Annotated[str | None, typer.Option("--end-user-parent", help="country of the end user's ultimate parent")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON record of CONTRACTS.md")] = False,
    list_chips: Annotated[bool, typer.Option("--list-chips", help="list the catalogue and exit")] = False,
) -> None:
    """Classify an accelerator (ECCN 3A090/4A090 band) and decide the licence requirement as of a date."""
    if list_chips:
        _list_chips(as_json)
        return
    if (chip is None) == (tpp is None):
        raise UsageError("give either a CHIP name or --tpp N (with --die-area MM2), not both")
    if tpp is None and (die_area or not_datacenter or memory_bandwidth or interconnect):
        raise UsageError("--die-area, --not-datacenter, --memory-bandwidth and --interconnect go with --tpp")
    item: str | Specs = chip if chip is not None else _specs(tpp, die_area, not_datacenter, memory_bandwidth, interconnect)
    end_user = None
    if end_user_listed or end_user_affiliate or end_user_hq or end_user_parent:
        try:
            end_user = EndUser(
                listed=end_user_listed,
                affiliate_of_listed=end_user_affiliate,
                headquarters_country=end_user_hq,
                ultimate_parent_country=end_user_parent,
            )
        except ValueError as err:
            raise UsageError(_end_user_problem(err, {"headquarters_country": ("--end-user-hq", end_user_hq),
                                                     "ultimate_parent_country": ("--end-user-parent", end_user_parent)})) from err  # fmt: skip
    result = classify_accelerator(item, destination, _day(on, "--date"), end_user)
    if as_json:
        _print_json(result.contract())
        return
    _print_classification(result)


def _specs(tpp: float | None, die_area: float | None, not_dc: bool, mem: float | None, link: float | None) -> Specs:
    if tpp is not None and tpp < 0 or die_area is not None and die_area <= 0:
        raise UsageError("--tpp must be >= 0 and --die-area > 0")
    name = f"custom (TPP {tpp:g}" + (f", {die_area:g} mm2)" if die_area else ")")
    return Specs(
        name=name, tpp=tpp, die_area_mm2=die_area, datacenter=not not_dc,
        memory_bandwidth_gbs=mem, interconnect_gbs=link,
    )


def _print_classification(result: Any) -> None:
    head = Table(show_header=False, box=None)
    pd = result.performance_density
    head.add_row("chip", result.chip)
    head.add_row("TPP", "unknown" if result.tpp is None else f"{result.tpp:,.1f}")
    head.add_row("performance density", "unknown" if pd is None else f"{pd:.2f}")
    head.add_row("ECCN", result.eccn or "not 3A090/4A090")
    head.add_row("destination", result.destination or "-")
    head.add_row("date", result.date.isoformat())
    head.add_row("licence required", "[bold red]yes[/]" if result.license_required else "[green]no[/]")
    if result.review_policy:
        head.add_row("review policy", result.review_policy)
    out.print(head)
    rules = Table("rule", "role", "source", "effective", title="deciding rules")
    for ref in result.rules:
        rules.add_row(ref.id, ref.role, ref.source, ref.effective)
    print_table(out, rules)
    for label, lines in (("licence exceptions that may apply", result.license_exceptions),
                         ("pending", result.pending), ("notes", result.notes)):
        if lines:
            out.print(f"[bold]{label}[/]")
            for line in lines:
                out.print(f"  - {line}")


def _list_chips(as_json: bool) -> None:
    entries = [describe(a) for a in catalogue().accelerators.values()]
    if as_json:
        _print_json(entries)
        return
    table = Table("name", "vendor", "kind", "TPP", "PD", "datacenter", "aliases")
    for e in entries:
        table.add_row(
            e["name"], e["vendor"], e["kind"],
            "" if e["tpp"] is None else f"{e['tpp']:,.0f}",
            "" if e["performance_density"] is None else f"{e['performance_density']:.2f}",
            "yes" if e["datacenter"] else "no", ", ".join(e.get("aliases", [])[:4]),
        )
    print_table(out, table)


def _rule_row(rule: Rule, on: date) -> dict[str, Any]:
    return {
        **rule.ref(),
        "kind": rule.kind,
        "title": rule.title,
        "status": load_rules().status(rule, on).value,
        "ends": rule.ends.isoformat() if rule.ends else None,
    }


@rules_app.command("list")
def rules_list(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default today)")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="also rules not in force on that day")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Rules in force (and pending or suspended) on a day."""
    on = _day(as_of, "--as-of")
    book = load_rules()
    shown = {Status.IN_FORCE, Status.PENDING, Status.SUSPENDED}
    rows = [
        _rule_row(r, on)
        for r in sorted(book.rules.values(), key=lambda r: (r.effective, r.id))
        if show_all or book.status(r, on) in shown
    ]
    if as_json:
        _print_json({"as_of": on.isoformat(), "rules": rows})
        return
    table = Table(title=f"rules as of {on}")
    for col in ("id", "kind", "status", "effective", "ends"):
        table.add_column(col, no_wrap=True)
    table.add_column("source")
    for row in rows:
        table.add_row(row["id"], row["kind"], row["status"], row["effective"], row["ends"] or "", row["source"])
    print_table(out, table)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="rule id, as in `rules list`")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="status as of YYYY-MM-DD (default today)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One rule record in full, with its status on a day."""
    on = _day(as_of, "--as-of")
    rule = get_rule(rule_id)
    data = {**rule.model_dump(mode="json", exclude_none=True, exclude_defaults=True, by_alias=True),
            "status": load_rules().status(rule, on).value, "as_of": on.isoformat()}
    if as_json:
        _print_json(data)
        return
    table = Table(show_header=False, box=None)
    for key, value in data.items():
        table.add_row(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
    app.add_typer(rules_app, name="rules")
