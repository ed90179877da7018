"""CLI tables stay readable in an 80-column terminal: no column squeezed to '…', every value shown."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from rich.console import Console
from rich.table import Table

from computewatch.commands.common import print_table
from computewatch.policy import load_rules


def rules_list(columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run([sys.executable, "-m", "computewatch", "rules", "list", "--as-of", "2026-11-25"],
                          capture_output=True, text=True, env=env, check=True)  # fmt: skip
    return done.stdout


def test_rules_list_in_80_columns_shows_every_rule_and_source() -> None:
    text = rules_list(80)
    assert "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    words = set(" ".join(text.split()).split())
    book = load_rules()
    for rule in book.rules.values():
        if book.status(rule, date(2026, 11, 25)).value in ("in force", "pending", "suspended"):
            assert rule.id in text
            assert set(str(rule.source).split()) <= words, rule.id


def test_rules_list_is_a_table_where_it_fits() -> None:
    text = rules_list(250)
    assert "┃ id" in text and "source" in text and "…" not in text


def render(width: int, table: Table) -> str:
    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    print_table(console, table)
    return console.export_text()


def test_a_table_too_wide_for_the_terminal_becomes_one_block_per_row() -> None:
    table = Table("#", "title", "source", title="2 cases")
    table.add_row("7", "Orchid Vale Compute Pte. Ltd. (SG) matches a listed party", "https://example.org/" + "x" * 70)
    table.add_row("8", "Kestrel Data Sdn. Bhd. (MY)", "")
    narrow = render(80, table)
    assert "…" not in narrow
    assert "# 7" in narrow and "# 8" in narrow and "x" * 50 in narrow.replace("\n", "").replace(" ", "")
    assert "Kestrel Data Sdn. Bhd. (MY)" in narrow
    wide = render(200, table)
    assert "┃ #" in wide and "# 7" not in wide
