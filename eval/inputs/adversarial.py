"""Adversarial inputs at every door: each command that reads a file gets the same bad files.

For every door (a command reading an input file) and every kind of input (legacy encodings,
a directory, a missing file, a 50 MB field, NUL bytes, junk, empty, header-only, wrong
delimiter, truncation), the command runs against a copy of a populated workspace (the demo
workspace) and the outcome is classified:

  read       exit 0: the file was read ("read, warned": a legacy encoding the bytes make
             unambiguous, said in a warning)
  clear      exit 1, the error names the file, no traceback
  unclear    any other exit without a traceback (exit 2, or the file not named)
  traceback  an exception escaped to the user
  hung       no answer in 5 minutes (--subprocess only)

and, for every command that did not succeed, whether any byte of the workspace changed.

    .venv/bin/python eval/inputs/adversarial.py [--subprocess] [--quick] [--details]

prints the table (markdown). `--subprocess` runs each command as a real `computewatch`
process (slower; the default runs `computewatch.cli.main` in this process, which sees the
same exit codes and exceptions). `--quick` makes the large field 2 MB instead of 50 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[2]

# Fictional names in three scripts (the encodings need characters outside ASCII to show).
NAMES = {
    "simplified": ("星河算力科技有限公司", "上海云栈数据服务有限公司"),
    "traditional": ("台北雲棧運算股份有限公司", "香港星橋數據中心有限公司"),
    "latin": ("Müller Rechenzentrum GmbH", "Société Lumière de Calcul"),
    "korean": ("한빛클라우드 주식회사", "서울별빛데이터 주식회사"),
}
ENCODINGS = {  # input kind -> (codec, script)
    "UTF-8 with BOM": ("utf-8-sig", "simplified"),
    "UTF-16 with BOM": ("utf-16", "simplified"),
    "UTF-16 LE, no BOM": ("utf-16-le", "latin"),
    "GBK": ("gbk", "simplified"),
    "GB18030": ("gb18030", "simplified"),
    "Big5": ("big5", "traditional"),
    "Latin-1": ("latin-1", "latin"),
}
AMBIGUOUS = {"EUC-KR (ambiguous with GBK)": ("euc-kr", "korean")}
LEGACY_KINDS = {"GBK", "GB18030", "Big5", "Latin-1"}  # read with a warning saying which encoding


@dataclass
class Door:
    """A command that reads an input file."""

    name: str
    suffix: str  # .csv, .jsonl, .txt
    argv: Callable[[Path, Path, Path], list[str]]  # (input, workspace, scratch dir) -> arguments
    rows: Callable[[tuple[str, str]], list[dict[str, Any]]]  # two valid records with these names
    changes_workspace: bool = True  # reads into the workspace (others only read it)
    expect: dict[str, str] = field(default_factory=dict)  # input kind -> verdict, where not "clear"

    @property
    def is_csv(self) -> bool:
        return self.suffix == ".csv"


def _csl(names: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"_id": f"hx-{i}", "source": "Entity List (EL) - Bureau of Industry and Security", "name": n,
         "addresses": "1 Harbour Road, Fictional City, SG", "federal_register_notice": "90 FR 1234, 01/02/25",
         "start_date": "2025-01-02", "alt_names": ""}
        for i, n in enumerate(names)
    ]  # fmt: skip


def _ftm(names: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": f"hx-ftm-{i}", "schema": "Company", "properties": {"name": [n], "country": ["SG"]}, "datasets": ["harness_ftm"]}
            for i, n in enumerate(names)]  # fmt: skip


def _notice(names: tuple[str, str]) -> str:
    """A short award notice naming the two parties, in the script of their names."""
    if names == NAMES["traditional"]:
        return f"採購公告\n項目名稱：計算伺服器採購\n採購人：{names[0]}\n中標供應商：{names[1]}\n中標金額：100萬元\n"
    if names == NAMES["korean"] or all(ord(c) < 0x3000 for c in "".join(names)):
        return f"Award notice\nProject: compute servers\nBuyer: {names[0]}\nSupplier: {names[1]}\nAward amount: CNY 1,000,000\n"
    return f"采购公告\n项目名称：计算服务器采购\n采购人：{names[0]}\n中标供应商：{names[1]}\n中标金额：100万元\n"


DOORS: list[Door] = [
    Door("lists load (CSL CSV)", ".csv", lambda f, w, t: ["lists", "load", str(f), "--dataset", "harness_list", "--workspace", str(w)], _csl),
    Door("lists load (FtM)", ".jsonl", lambda f, w, t: ["lists", "load", str(f), "--format", "ftm", "--workspace", str(w)], _ftm),
    Door("screen", ".csv", lambda f, w, t: ["screen", str(f), "--out", str(t / "out.jsonl"), "--workspace", str(w)],
         lambda n: [{"id": str(i), "name": x, "country": "SG"} for i, x in enumerate(n)], changes_workspace=False),
    Door("ingest entities", ".jsonl", lambda f, w, t: ["ingest", "entities", str(f), "--workspace", str(w)],
         lambda n: [{"id": f"hx-e{i}", "schema": "Company", "properties": {"name": [x], "country": ["SG"]}} for i, x in enumerate(n)]),
    Door("ingest accounts", ".csv", lambda f, w, t: ["ingest", "accounts", str(f), "--workspace", str(w)],
         lambda n: [{"account_id": f"hx-a{i}", "holder_name": x, "country": "SG", "created_at": "2025-01-01"} for i, x in enumerate(n)]),
    Door("ingest usage", ".csv", lambda f, w, t: ["ingest", "usage", str(f), "--workspace", str(w)],
         lambda n: [{"account_id": f"hx-a{i}", "start": "2025-02-01T00:00:00", "end": "2025-02-01T06:00:00",
                     "accelerator": "H100-SXM", "accelerator_count": "8", "region": x} for i, x in enumerate(n)]),  # fmt: skip
    Door("ingest access", ".csv", lambda f, w, t: ["ingest", "access", str(f), "--workspace", str(w)],
         lambda n: [{"account_id": f"hx-a{i}", "ts": "2025-02-01T00:00:00Z", "country": "SG", "service": x} for i, x in enumerate(n)]),
    Door("ingest leases", ".csv", lambda f, w, t: ["ingest", "leases", str(f), "--workspace", str(w)],
         lambda n: [{"lease_id": f"hx-l{i}", "lessee_name": x, "site_country": "MY", "signed_at": "2025-01-01", "start": "2025-01-15",
                     "servers": "4", "accelerator": "H100-SXM", "accelerators_per_server": "8"} for i, x in enumerate(n)]),  # fmt: skip
    Door("ingest media", ".csv", lambda f, w, t: ["ingest", "media", str(f), "--workspace", str(w)],
         lambda n: [{"site_country": "MY", "ts": "2025-03-01T10:00:00", "devices": "4", "bytes": "1e12", "lessee_name": x} for x in n]),
    Door("ingest shipments", ".csv", lambda f, w, t: ["ingest", "shipments", str(f), "--workspace", str(w)],
         lambda n: [{"shipment_id": f"hx-s{i}", "date": "2025-04-01", "shipper": "Harbour Forwarding Pte Ltd", "consignee": x,
                     "consignee_country": "SG", "destination_country": "SG", "description": "GPU servers", "quantity": "2",
                     "value_usd": "50000"} for i, x in enumerate(n)]),  # fmt: skip
    Door("locate verify (probes)", ".csv", lambda f, w, t: ["locate", "verify", str(f), "--out", str(t / "verdicts.jsonl")],
         lambda n: [{"chip_id": "hx-chip-1", "claimed_country": "SG", "landmark_id": f"{x}-{k}", "landmark_lat": f"{1.30 + k / 10:.2f}",
                     "landmark_lon": "103.80", "rtt_ms": "2.5", "ts": f"2025-05-01T00:0{k}:00Z"} for x in n for k in range(2)],
         changes_workspace=False),  # fmt: skip
    Door("tenders scan", ".txt", lambda f, w, t: ["tenders", "scan", str(f), "--out", str(t / "findings.jsonl"), "--workspace", str(w)],
         lambda n: [{"text": _notice(n)}],
         # a notice is read to the end: a cut one is still a notice, an unsure encoding is read and said
         expect={"truncated (cut mid-record)": "read", "EUC-KR (ambiguous with GBK)": "read, warned",
                 **dict.fromkeys(("GBK", "GB18030", "Big5", "Latin-1"), "read")}),  # notices often are: no warning
    Door("cases import", ".jsonl", lambda f, w, t: ["cases", "import", str(f), "--workspace", str(w)],
         lambda n: [{"id": f"hx-alert-{i}", "detector": "harness", "scenario": "S1", "severity": "low", "score": 0.5,
                     "subjects": [f"hx-{i}"], "as_of": "2025-01-01", "summary": f"{x} harness alert",
                     "evidence": [{"fact": x, "source": "harness"}]} for i, x in enumerate(n)]),  # fmt: skip
]


def render(door: Door, rows: list[dict[str, Any]], delimiter: str = ",") -> str:
    """Valid text for the door: CSV with a header, JSON lines, or a notice's text."""
    if door.suffix == ".txt":
        return rows[0]["text"]
    if door.is_csv:
        buf = io.StringIO()
        header = list(dict.fromkeys(k for r in rows for k in r))
        writer = csv.DictWriter(buf, header, delimiter=delimiter, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    return "".join(orjson.dumps(r).decode() + "\n" for r in rows)


def _with_first_name(door: Door, value: str) -> str:
    return render(door, door.rows((value, NAMES["latin"][1])))


def _junk(size: int = 4096) -> bytes:
    return random.Random(13).randbytes(size)


@dataclass
class Case:
    kind: str
    door: Door
    path: Path
    expect_ok: bool = False


def make_inputs(door: Door, folder: Path, big_field: int) -> list[Case]:
    """Every kind of input for one door, written into `folder`."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cases: list[Case] = []

    def write(kind: str, data: bytes, suffix: str | None = None, ok: bool = False) -> None:
        path = folder / f"{len(cases):02d}{suffix or door.suffix}"
        path.write_bytes(data)
        cases.append(Case(kind, door, path, ok))

    for kind, (codec, script) in ENCODINGS.items():
        write(kind, render(door, door.rows(NAMES[script])).encode(codec), ok=True)
    for kind, (codec, script) in AMBIGUOUS.items():
        write(kind, render(door, door.rows(NAMES[script])).encode(codec))
    directory = folder / f"{len(cases):02d}-dir{door.suffix}"
    directory.mkdir()
    cases.append(Case("a directory", door, directory))
    cases.append(Case("a missing file", door, folder / f"missing{door.suffix}"))
    label = "a 50 MB field" if big_field >= 50 * 2**20 else f"a {big_field >> 20} MB field"
    if door.suffix == ".txt":  # a notice has no fields: what matters is its size (the limit is 20 MB)
        big_field = max(big_field, 21 * 2**20)
    write(label, _with_first_name(door, "A" * big_field).encode())
    write("NUL bytes in a field", _with_first_name(door, "Harbour\x00Compute Ltd").encode())
    write("junk .parquet", _junk(), ".parquet")
    write("junk .json", _junk(), ".json")
    write("junk .csv", _junk(), ".csv")
    write("empty file", b"")
    if door.is_csv:
        write("header only", render(door, door.rows(NAMES["latin"])).split("\n", 1)[0].encode() + b"\n")
        write("wrong delimiter (;)", render(door, door.rows(NAMES["latin"]), delimiter=";").encode())
    elif door.suffix == ".jsonl":
        write("header only (blank lines)", b"\n\n\n")
    else:
        write("header only (blank lines)", b"\n \n\n")
    text = render(door, door.rows(NAMES["latin"])).encode()
    write("truncated (cut mid-record)", text[: len(text) - max(8, len(text.rsplit(b"\n", 2)[-2]) // 2) - 1])
    return cases


# --- running -----------------------------------------------------------------------------------------


def workspace_digest(ws: Path) -> dict[str, str]:
    """Every file under the workspace and the SHA-256 of its bytes (empty when it does not exist)."""
    found = {}
    for path in sorted(ws.rglob("*")) if ws.exists() else []:
        if path.is_file():
            found[str(path.relative_to(ws))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Outcome:
    code: int | None
    stdout: str
    stderr: str
    traceback: str | None = None


def run_in_process(args: list[str]) -> Outcome:
    from computewatch import cli
    from computewatch.cli import main

    if cli.app.registered_commands or cli.app.registered_groups:
        cli._register_commands = lambda: None  # type: ignore[assignment]  # once per process, whatever the version

    out, err = io.StringIO(), io.StringIO()
    old_argv = sys.argv
    sys.argv = ["computewatch", *args]
    code: int | None = 0
    trace = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # noqa: BLE001 - this is what the harness is looking for
        import traceback

        code, trace = None, "".join(traceback.format_exception(exc))
    finally:
        sys.argv = old_argv
    return Outcome(code, out.getvalue(), err.getvalue(), trace)


SUBPROCESS_TIMEOUT_S = 300


def run_subprocess(args: list[str]) -> Outcome:
    code = "from computewatch.cli import main; main()"  # the console script, but on this interpreter's sys.path
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "200"}, timeout=SUBPROCESS_TIMEOUT_S)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        return Outcome(None, "", str(exc.stderr or ""), f"hung: no answer in {SUBPROCESS_TIMEOUT_S} s")
    trace = done.stderr if "Traceback" in done.stderr else None
    return Outcome(done.returncode, done.stdout, done.stderr, trace)


@dataclass
class Result:
    case: Case
    outcome: Outcome
    changed: bool
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        o = self.outcome
        if o.traceback is not None:
            return "hung" if o.traceback.startswith("hung:") else "traceback"
        if o.code == 0:
            return "read, warned" if "warning" in o.stderr else "read"
        if o.code == 1 and self.case.path.name in " ".join(o.stderr.split()):
            return "clear"
        return "unclear"

    @property
    def expected(self) -> str:
        if self.case.kind in self.case.door.expect:
            return self.case.door.expect[self.case.kind]
        if self.case.expect_ok:
            return "read, warned" if self.case.kind in LEGACY_KINDS else "read"
        return "clear"

    @property
    def failed(self) -> bool:
        return not self.verdict.startswith("read")

    @property
    def as_expected(self) -> bool:
        return self.verdict == self.expected and not (self.changed and self.failed)

    @property
    def message(self) -> str:
        lines = [line for line in self.outcome.stderr.splitlines() if line.strip()]
        return (self.outcome.traceback or "").strip().splitlines()[-1] if self.outcome.traceback else (lines[0] if lines else "")


def build_base_workspace(folder: Path) -> Path:
    ws = folder / "base-ws"
    if not ws.exists():
        outcome = run_in_process(["demo", "--workspace", str(ws)])
        if outcome.code != 0:
            raise SystemExit(f"demo failed: {outcome.stderr[-2000:]}")
    return ws


@dataclass
class Harness:
    folder: Path
    runner: Callable[[list[str]], Outcome] = run_in_process
    big_field: int = 50 * 2**20
    verbose: bool = False
    results: list[Result] = field(default_factory=list)
    _pristine: dict[str, str] | None = None

    def run(self, doors: list[Door] | None = None, kinds: set[str] | None = None) -> list[Result]:
        base = build_base_workspace(self.folder)
        for door in doors or DOORS:
            inputs = make_inputs(door, self.folder / "inputs" / door.name.replace(" ", "_").replace("(", "").replace(")", ""), self.big_field)
            for case in inputs:
                if kinds and case.kind not in kinds:
                    continue
                self.results.append(self.run_case(base, case))
            shutil.rmtree(inputs[0].path.parent, ignore_errors=True)  # the 50 MB files
        return self.results

    def run_case(self, base: Path, case: Case) -> Result:
        """Run one case on a copy of the base workspace (copied again only after a case changed it)."""
        ws = self.folder / "ws"
        scratch = self.folder / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        if self._pristine is None or not ws.exists():
            shutil.rmtree(ws, ignore_errors=True)
            shutil.copytree(base, ws)
            self._pristine = workspace_digest(ws)
        before = self._pristine
        start = time.perf_counter()
        outcome = self.runner(case.door.argv(case.path, ws, scratch))
        seconds = time.perf_counter() - start
        after = workspace_digest(ws)
        if after != before:
            self._pristine = None  # restore the base before the next case
        if self.verbose:
            print(f"{case.door.name} / {case.kind}: exit {outcome.code} in {seconds:.1f} s", file=sys.stderr, flush=True)
        return Result(case, outcome, after != before, seconds)


def table(results: list[Result]) -> str:
    """The markdown table of the issue: inputs tried, clear errors, tracebacks, workspaces changed by a failed load."""
    kinds = list(dict.fromkeys(r.case.kind for r in results))
    lines = ["| input | doors tried | read (exit 0) | of which with a warning | clear error (exit 1, file named) | unclear | tracebacks "
             "| hung | workspace changed by a failed command | as expected |",
             "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    totals = [0] * 9
    for kind in kinds:
        rows = [r for r in results if r.case.kind == kind]
        counts = [len(rows), sum(not r.failed for r in rows), sum(r.verdict == "read, warned" for r in rows),
                  *(sum(r.verdict == v for r in rows) for v in ("clear", "unclear", "traceback", "hung")),
                  sum(r.changed and r.failed for r in rows), sum(r.as_expected for r in rows)]  # fmt: skip
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        lines.append(f"| {kind} | " + " | ".join(str(c) for c in counts) + " |")
    lines.append("| **all** | " + " | ".join(f"**{c}**" for c in totals) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subprocess", action="store_true", help="run real computewatch processes")
    parser.add_argument("--quick", action="store_true", help="a 2 MB field instead of 50 MB")
    parser.add_argument("--details", action="store_true", help="list every case and its first error line")
    parser.add_argument("--keep", type=Path, help="work in this folder (kept; the demo workspace is reused)")
    parser.add_argument("--door", action="append", help="only these doors (by name)")
    parser.add_argument("--verbose", action="store_true", help="print each case as it runs")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cw-adversarial-"))
    harness = Harness(folder, run_subprocess if args.subprocess else run_in_process, (2 if args.quick else 50) * 2**20, args.verbose)
    results = harness.run([d for d in DOORS if d.name in args.door] if args.door else None)
    print(table(results))
    if args.details:
        print()
        for r in results:
            mark = "" if r.as_expected else "  <-- UNEXPECTED"
            print(f"- {r.case.door.name} / {r.case.kind}: {r.verdict}{' (workspace changed)' if r.changed else ''}: {r.message[:200]}{mark}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
