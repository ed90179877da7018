"""Decisions that stick: a (party, list entry) match an analyst closed as a false positive is not
alerted again while both stay as they were when it was decided.

The case store keeps the decisions (cases/suppressions.py) and hands them to whoever makes or
records alerts (detect, re-screening, case import) as a `Suppressions`. A decision holds for an
alert's list match when the party, the list entry and both content hashes are the ones decided
against; when the party's screened data or the list entry has changed since, the match is alerted
again, and the case it lands in shows the earlier decision. An alert is suppressed only when every
list match it rests on is held by a decision; alerts without list matches are never suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from computewatch.alerts.model import Alert, ListMatch


@dataclass(frozen=True)
class Suppression:
    """One active false-positive decision on a (party, list entry) pair."""

    id: int
    party: str
    entity_id: str
    party_hash: str
    entry_hash: str
    case_id: int
    reason: str = ""
    decided_by: str = ""
    decided_at: str = ""

    def holds_for(self, match: ListMatch) -> bool:
        return (match.party, match.entity_id, match.party_hash, match.entry_hash) == (
            self.party, self.entity_id, self.party_hash, self.entry_hash)  # fmt: skip

    def what_changed(self, match: ListMatch) -> str:
        """Why the decision no longer holds for this match, in words."""
        changed = []
        if match.party_hash != self.party_hash:
            changed.append("the party's screened data (name, country or type)")
        if match.entry_hash != self.entry_hash:
            changed.append("the list entry")
        return " and ".join(changed) + " changed since" if changed else "nothing changed since"

    def text(self) -> str:
        who = f" by {self.decided_by}" if self.decided_by else ""
        when = f" on {self.decided_at[:10]}" if self.decided_at else ""
        why = f": {self.reason}" if self.reason else ""
        return f"case {self.case_id} closed as a false positive{who}{when}{why}"


class Suppressions:
    """The active decisions, looked up by (party, list entry). A pair may carry several: a party
    screened under two names (an alias) is decided against each."""

    def __init__(self, items: Iterable[Suppression] = ()):
        self.by_pair: dict[tuple[str, str], list[Suppression]] = {}
        for s in items:
            self.by_pair.setdefault((s.party, s.entity_id), []).append(s)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_pair.values())

    def decisions_on(self, match: ListMatch) -> list[Suppression]:
        """The active decisions on the match's pair, whether or not they still hold."""
        return self.by_pair.get((match.party, match.entity_id), [])

    def holding_match(self, match: ListMatch) -> Suppression | None:
        return next((s for s in self.decisions_on(match) if s.holds_for(match)), None)

    def holding(self, alert: Alert) -> list[Suppression]:
        """The decisions that suppress the alert: one for each of its list matches, else none."""
        held = [self.holding_match(m) for m in alert.list_matches]
        if not held or any(s is None for s in held):
            return []
        return list(dict.fromkeys(s for s in held if s is not None))

    def no_longer_holding(self, alert: Alert) -> list[tuple[ListMatch, Suppression]]:
        """The alert's list matches decided against data that has changed since (with the decision)."""
        found = []
        for m in alert.list_matches:
            decisions = self.decisions_on(m)
            if decisions and self.holding_match(m) is None:
                found.append((m, decisions[0]))
        return found

    def split(self, alerts: list[Alert]) -> tuple[list[Alert], list[Alert]]:
        """(alerts to raise, alerts suppressed by a decision), each in the order given."""
        kept: list[Alert] = []
        quiet: list[Alert] = []
        for alert in alerts:
            (quiet if self.holding(alert) else kept).append(alert)
        return kept, quiet


NONE = Suppressions()
