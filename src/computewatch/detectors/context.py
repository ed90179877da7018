"""What every detector receives: the engine, the day, thresholds, policy and graph lookups,
the accounts and leases (small tables, read once), customers (linked accounts), earlier alerts,
and the screening, graph and locate settings of the run (nothing reads global settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from computewatch.alerts.model import Alert
from computewatch.detectors.linkage import Customers
from computewatch.detectors.parties import PartyLookup
from computewatch.detectors.policy_checks import PolicyChecks
from computewatch.engine import Engine, Row
from computewatch.settings import DetectorSettings, GraphSettings, LocateSettings, ScreeningSettings


@dataclass
class DetectionContext:
    engine: Engine
    as_of: date
    settings: DetectorSettings
    policy: PolicyChecks
    parties: PartyLookup
    accounts: dict[str, Row]
    leases: dict[str, Row]
    customers: Customers
    alerts: list[Alert] = field(default_factory=list)
    screening: ScreeningSettings = field(default_factory=ScreeningSettings)  # for detectors that screen names
    graph: GraphSettings = field(default_factory=GraphSettings)  # for ownership look-ups
    locate: LocateSettings = field(default_factory=LocateSettings)  # distance bounds of the chip-location detector

    @property
    def window_start(self) -> datetime:
        return datetime.combine(self.as_of - timedelta(days=self.settings.window_days), time())

    @property
    def window_end(self) -> datetime:
        """Exclusive: the start of the day after as-of."""
        return datetime.combine(self.as_of + timedelta(days=1), time())

    def holder(self, account_id: str) -> str:
        row = self.accounts.get(account_id)
        if row:
            return f"{row['holder_name']} ({row['country']})"
        lease = self.leases.get(account_id)
        return f"{lease['lessee_name']}, lessee at {lease.get('site') or 'a site'} in {lease['site_country']}" if lease else account_id

    def describe_customer(self, customer_id: str) -> str:
        members = self.customers.members(customer_id)
        names = "; ".join(f"{a}: {self.holder(a)}" for a in members)
        return names if len(members) == 1 else f"{len(members)} linked accounts ({names})"

    def subjects(self, customer_id: str) -> list[str]:
        members = self.customers.members(customer_id)
        entity_ids = [str(self.accounts[a]["holder_entity_id"]) for a in members if a in self.accounts and self.accounts[a].get("holder_entity_id")]
        return list(dict.fromkeys([*members, *entity_ids]))


def day_of(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value
