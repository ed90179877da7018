"""Accounts that share a payment fingerprint, phone, email domain, IPs or devices are one customer.

Each shared value adds its weight (LinkageThresholds.weights) to every pair of
accounts holding it; a pair whose summed weight reaches link_threshold is linked,
and linked accounts form one customer (connected components). Values shared by
too many accounts (a NAT address, a free-mail domain) link nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

from computewatch.alerts.evidence import row_source
from computewatch.contacts import domain_key, phone_key
from computewatch.engine import Engine, Row
from computewatch.engine.sql import literal
from computewatch.settings.detectors import LinkageThresholds

CUSTOMERS_TABLE = "cw_customers"


@dataclass(frozen=True)
class SharedValue:
    kind: str
    value: str
    accounts: tuple[str, ...]
    source: str


@dataclass
class Customers:
    of: dict[str, str] = field(default_factory=dict)  # account id -> customer id (its smallest account id)
    groups: dict[str, list[str]] = field(default_factory=dict)  # customer id -> account ids (linked only)
    shared: dict[str, list[SharedValue]] = field(default_factory=dict)  # customer id -> what links it

    def customer(self, account_id: str) -> str:
        return self.of.get(account_id, account_id)

    def members(self, customer_id: str) -> list[str]:
        return self.groups.get(customer_id, [customer_id])


def _account_values(accounts: dict[str, Row], settings: LinkageThresholds) -> Iterable[tuple[str, str, str, Row]]:
    common = {domain_key(d) for d in settings.common_email_domains}
    for account_id, row in accounts.items():
        if row.get("payment_fingerprint"):
            yield "payment_fingerprint", str(row["payment_fingerprint"]).strip(), account_id, row
        # the one normaliser of contacts (computewatch.contacts), as the ownership graph keys them
        if row.get("phone") and (phone := phone_key(str(row["phone"]), row.get("country"))):
            yield "phone", phone, account_id, row
        domain = domain_key(str(row.get("email_domain") or ""))
        if domain and domain not in common:
            yield "email_domain", domain, account_id, row


def _access_values(engine: Engine, start: datetime, end: datetime, settings: LinkageThresholds) -> list[Row]:
    """(kind, value, account_id, src_file, src_line) for IPs and devices shared by 2..max accounts."""
    window = f"ts >= {literal(start)} AND ts < {literal(end)}"
    per = " UNION ALL ".join(
        f"SELECT '{kind}' AS kind, {col} AS value, account_id, min(src_file) AS src_file, min(src_line) AS src_line "
        f"FROM ops_access WHERE {col} IS NOT NULL AND {window} GROUP BY {col}, account_id"
        for kind, col in (("ip", "ip"), ("device", "device_id"))
    )
    return engine.query(
        f"""WITH v AS ({per}),
        shared AS (SELECT kind, value FROM v GROUP BY kind, value
                   HAVING count(DISTINCT account_id) BETWEEN 2 AND {settings.max_accounts_per_value})
        SELECT v.kind, v.value, v.account_id, v.src_file, v.src_line FROM v
        JOIN shared ON v.kind = shared.kind AND v.value = shared.value
        ORDER BY v.kind, v.value, v.account_id"""
    )


def link_accounts(
    engine: Engine, accounts: dict[str, Row], start: datetime, end: datetime, settings: LinkageThresholds
) -> Customers:
    values: dict[tuple[str, str], dict[str, Row]] = {}
    for kind, value, account_id, row in _account_values(accounts, settings):
        values.setdefault((kind, value), {})[account_id] = row
    for row in _access_values(engine, start, end, settings):
        values.setdefault((row["kind"], row["value"]), {})[row["account_id"]] = row
    pair_score: dict[tuple[str, str], float] = {}
    shared: list[SharedValue] = []
    for (kind, value), holders in sorted(values.items()):
        if not 2 <= len(holders) <= settings.max_accounts_per_value:
            continue
        table = "access" if kind in ("ip", "device") else "accounts"
        shared.append(SharedValue(kind, value, tuple(sorted(holders)), row_source(table, holders.values())))
        for a, b in combinations(sorted(holders), 2):
            pair_score[(a, b)] = pair_score.get((a, b), 0.0) + settings.weights.get(kind, 0.0)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for (a, b), score in sorted(pair_score.items()):
        if score >= settings.link_threshold:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    customers = Customers()
    for account in sorted(parent):
        root = find(account)
        customers.of[account] = root
    for account, root in customers.of.items():
        customers.groups.setdefault(root, [])
        if account not in customers.groups[root]:
            customers.groups[root].append(account)
    for root, members in customers.groups.items():
        if root not in members:
            members.append(root)
        customers.of[root] = root
        members.sort()
    for item in shared:  # a value joins a customer when two of its holders belong to it
        roots = [customers.of[a] for a in item.accounts if a in customers.of]
        for root in sorted(set(roots)):
            if roots.count(root) >= 2:
                customers.shared.setdefault(root, []).append(item)
    return customers


def register_customers(engine: Engine, customers: Customers) -> None:
    rows = sorted(customers.of.items())
    engine.register_rows(CUSTOMERS_TABLE, [("account_id", "VARCHAR"), ("customer_id", "VARCHAR")], rows)
