"""The red flags: one small function each, from a shipment's facts to the evidence that it fired.

Which flags exist, their titles, weights and sources are data (data/red_flags.yaml);
every function here is registered under a flag id there, and a flag without a
function (or a function without a flag) is refused when the run starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from computewatch.settings.shipments import ShipmentThresholds
from computewatch.shipments.facts import Facts, Shipment
from computewatch.shipments.history import History, SharedContacts
from computewatch.shipments.items import fold, word_pattern
from computewatch.shipments.parties import GraphParty, PartyChecks, same_party
from computewatch.shipments.policy_view import PolicyView, epoch
from computewatch.shipments.prices import Band, class_bands, datacenter_bands, item_band
from computewatch.shipments.reference import Reference


@dataclass
class Checks:
    """What the flags may consult besides the shipment."""

    ref: Reference
    th: ShipmentThresholds
    policy: PolicyView
    parties: PartyChecks
    shared: SharedContacts  # addresses and phones other consignees in the shipments had given by the day

    def __post_init__(self) -> None:
        self.forwarder = word_pattern(self.ref.forwarder.words)
        self.residential = word_pattern(self.ref.residential.words)
        self.commercial = word_pattern(self.ref.residential.commercial_words)
        self._forwarder_word: dict[str, str | None] = {}
        self._residential_word: dict[str, str | None] = {}
        self._controlled_bands: dict[date, tuple[Band, ...]] = {}
        self.concern_text = ", ".join(self.th.concern_groups + self.th.concern_countries)

    def forwarder_word(self, name: str) -> str | None:
        if name not in self._forwarder_word:
            m = self.forwarder.search(fold(name))
            self._forwarder_word[name] = m.group(0) if m else None
        return self._forwarder_word[name]

    def residential_word(self, address: str) -> str | None:
        if address not in self._residential_word:
            folded = fold(address)
            m = self.residential.search(folded)
            self._residential_word[address] = m.group(0) if m and not self.commercial.search(folded) else None
        return self._residential_word[address]

    def graph_party(self, f: Facts) -> GraphParty | None:
        r = f.row
        return self.parties.graph_party(r.consignee_entity_id or "", r.consignee, r.consignee_country, r.date)

    def controlled_bands(self, day: date) -> tuple[Band, ...]:
        """Bands of the priced datacenter items controlled on the day (cached per policy epoch)."""
        key = epoch(day)
        found = self._controlled_bands.get(key)
        if found is None:
            found = self._controlled_bands[key] = tuple(band for name, band in datacenter_bands() if self.policy.controlled(name, day))
        return found


def countries_of(r: Shipment) -> list[str]:
    """The consignee's country, the destination and the end user's country: each once, in that order."""
    a, b, c = r.consignee_country, r.destination_country, r.end_user_country
    found = [a] if a else []
    if b and b != a:
        found.append(b)
    if c and c != a and c != b:
        found.append(c)
    return found


Flag = Callable[[Facts, Checks], list[str]]  # evidence texts; empty when the flag does not fire


def listed_party(f: Facts, c: Checks) -> list[str]:
    """A party listed on the shipment's day. A match listed only after the shipment is not a shipment to a
    listed party: it is a note ('listed later, on DATE'), and the flag does not fire for it."""
    if c.parties.screener is None and not c.parties.graph_available:
        return []  # nothing to look parties up in
    r = f.row
    found = []
    roles = (("consignee", r.consignee, r.consignee_country), ("end user", r.end_user, r.end_user_country or r.destination_country),
             ("notify party", r.notify_party, ""), ("freight forwarder", r.freight_forwarder, ""), ("payer", r.payer, r.payer_country),
             ("shipper", r.shipper, ""))  # fmt: skip
    for role, name, country in roles:
        m = c.parties.listed(name or "", country or "")
        if m is None:
            continue
        since = c.parties.listed_since.get(m.entity.id)
        what = (f"{role} '{name}' matches '{m.entity.caption}' on {m.entity.source or ', '.join(m.entity.datasets)} "
                f"(score {m.score:.2f})")  # fmt: skip
        if since is not None and since > r.date:
            f.notes.append(f"{what}, listed later, on {since.isoformat()}: not a listed party on {r.date}")
            continue
        found.append(f"{what}{f', listed since {since.isoformat()}' if since else ''}: {m.explanation}")
    graph_roles = (("consignee", c.graph_party(f)),
                   ("end user", c.parties.graph_party("", r.end_user, r.end_user_country or "", r.date) if r.end_user else None))  # fmt: skip
    for role, party in graph_roles:
        if party is None:
            continue
        if party.listings:
            found.append(f"{role} is the graph entity {party.entity_id} ({party.name}), listed on {r.date}: " + ", ".join(party.listings))
        for later in party.listed_later:
            f.notes.append(f"{role} is the graph entity {party.entity_id} ({party.name}), {later}: not listed on {r.date}")
    return found


def licence_required_at_destination(f: Facts, c: Checks) -> list[str]:
    r = f.row
    if r.licence_number or not f.controlled:
        return []
    if f.classification is not None:  # the scorer classified the items for these countries already
        return [f"{x['item']} ({x['eccn']} on {r.date}) to {x['country']}: licence required by {', '.join(x['rules'])}; no licence number given"
                for x in f.classification if x["rules"]]  # fmt: skip
    found = []
    for item, eccn in f.controlled:
        for country in countries_of(r):
            rules = c.policy.licence_rules(item, country, r.date)
            if rules:
                found.append(f"{item} ({eccn} on {r.date}) to {country}: licence required by {', '.join(rules)}; no licence number given")
    return found


def hub_consignee_concern_destination_or_payer(f: Facts, c: Checks) -> list[str]:
    r = f.row
    if r.consignee_country not in c.ref.hubs:
        return []
    concern = [f"{what} {cc}" for what, cc in (("final destination", r.destination_country), ("end user in", r.end_user_country),
               ("payer in", r.payer_country)) if cc and cc != r.consignee_country and c.policy.concern(cc, r.date)]  # fmt: skip
    if not concern:
        return []
    return [f"consignee '{r.consignee}' in {r.consignee_country}, a transshipment hub ({c.ref.hubs_source}); "
            f"{', '.join(concern)}: a country of concern on {r.date} ({c.concern_text})"]  # fmt: skip


def freight_forwarder_consignee(f: Facts, c: Checks) -> list[str]:
    r = f.row
    found = []
    for role, name in (("consignee", r.consignee), ("end user", r.end_user)):
        if not name:
            continue
        if r.freight_forwarder and same_party(name, r.freight_forwarder):
            found.append(f"the {role} '{name}' is the shipment's freight forwarder")
        elif word := c.forwarder_word(name):
            found.append(f"the {role} '{name}' is a freight forwarder or logistics company by its name ('{word}')")
    return found


def end_user_missing(f: Facts, c: Checks) -> list[str]:
    return [] if (f.row.end_user or "").strip() else [f"no end user is named for {f.volume_text()}"]


def end_user_differs_from_consignee(f: Facts, c: Checks) -> list[str]:
    r = f.row
    if not (r.end_user or "").strip() or same_party(r.end_user or "", r.consignee):
        return []
    where = f" in {r.end_user_country}" if r.end_user_country and r.end_user_country != r.consignee_country else ""
    return [f"end user '{r.end_user}'{where} is not the consignee '{r.consignee}' ({r.consignee_country})"]


def first_time_consignee_large_volume(f: Facts, c: Checks) -> list[str]:
    if f.history.count or not f.large_volume(c.th.large_volume_usd, c.th.large_volume_accelerators):
        return []
    return [f"first shipment to '{f.row.consignee}' in the data, and a large volume: {f.volume_text()} "
            f"(large: USD {c.th.large_volume_usd:,.0f} or {c.th.large_volume_accelerators} accelerators)"]  # fmt: skip


def recently_incorporated_consignee(f: Facts, c: Checks) -> list[str]:
    if not c.parties.graph_available:
        return []
    party = c.graph_party(f)
    if party is None or party.incorporated is None:
        return []
    age = (f.row.date - party.incorporated).days
    if not 0 <= age <= c.th.recent_incorporation_days or not f.large_volume(c.th.large_volume_usd, c.th.large_volume_accelerators):
        return []
    return [f"'{f.row.consignee}' (graph entity {party.entity_id}) was incorporated on {party.incorporated}, {age} days "
            f"before the shipment, and buys {f.volume_text()}"]  # fmt: skip


def volume_spike(f: Facts, c: Checks) -> list[str]:
    value = f.row.value_usd
    if value is None or len(f.history.values) < 3:
        return []
    median = f.history.median()
    if median is None or value <= c.th.volume_spike_factor * median:
        return []
    return [f"USD {value:,.0f} is {value / median:.1f} times the median (USD {median:,.0f}) of the consignee's "
            f"{len(f.history.values)} earlier shipments"]  # fmt: skip


def shared_address_phone_or_directors(f: Facts, c: Checks) -> list[str]:
    party = c.graph_party(f) if c.parties.graph_available else None
    found = [f"graph entity {party.entity_id} ({party.name}) {text}" for text in party.shared] if party else []
    r = f.row
    return found + c.shared.on(f.consignee_key, r.consignee_address, r.consignee_phone, r.consignee_country, r.date)


def value_off_market(f: Facts, c: Checks) -> list[str]:
    """The unit value far from the market band of what the description names (or, for a class such as
    graphics cards, far below the class). One unit value is one finding: when it is the price of a controlled
    item the description does not name, that is description_mismatch, and this flag stays silent."""
    unit = f.unit_value
    if unit is None or _priced_like_other(f, c):
        return []
    band = item_band(f.reading)
    if band is None:
        return [f"described as {b.what} ('{f.row.description}'), which cost at least USD {b.low:,.0f} each, but declared at "
                f"USD {unit:,.0f} per unit ({b.text()}; source: {b.source})"
                for b in class_bands(f.reading) if unit < b.low * c.th.price_below_factor]  # fmt: skip
    if unit > band.high * c.th.price_above_factor:
        how = f"{unit / band.high:.1f} times the top of the market band"
    elif unit < band.low * c.th.price_below_factor:
        how = f"{unit / band.low:.2f} of the bottom of the market band"
    else:
        return []
    return [f"declared USD {unit:,.0f} per unit, {how} ({band.text()}; source: {band.source})"]


def _priced_like_other(f: Facts, c: Checks) -> list[str]:
    """Evidence that the unit value is that of a controlled item the description does not name: the
    description claims a class (graphics cards, computer parts), the value is far above what the class
    costs and within a controlled datacenter item's band on the day, and the named item (if any) does not
    cost that much. Worked out once per shipment (both price flags read it)."""
    if f.price_mismatch is not None:
        return f.price_mismatch
    found: list[str] = []
    unit = f.unit_value
    classes = class_bands(f.reading)
    if unit is None or not classes:
        f.price_mismatch = found
        return found
    named = item_band(f.reading)
    if not (named is not None and named.low * c.th.price_below_factor <= unit <= named.high * c.th.mismatch_factor):
        for band in classes:
            if unit > band.high * c.th.mismatch_factor:
                like = [b for b in c.controlled_bands(f.row.date) if b.contains(unit)]  # prices.priced_like, cached per epoch
                if like:
                    found.append(f"described as {band.what} ('{f.row.description}'), which cost at most USD {band.high:,.0f} each, "
                                 f"but declared at USD {unit:,.0f} per unit: that is the price of "
                                 + ", ".join(b.text() for b in like[:3]))  # fmt: skip
    f.price_mismatch = found
    return found


def description_mismatch(f: Facts, c: Checks) -> list[str]:
    """Described as a class of goods but declared at the price of a controlled item (misdescription)."""
    return _priced_like_other(f, c)


def third_country_payer(f: Facts, c: Checks) -> list[str]:
    r = f.row
    payer = r.payer_country
    if not payer or payer == r.consignee_country or payer == r.destination_country or payer == r.end_user_country:
        return []
    return [f"payer{' ' + repr(r.payer) if r.payer else ''} in {r.payer_country}, neither the consignee's country "
            f"({r.consignee_country}) nor the destination ({r.destination_country})"]  # fmt: skip


def residential_address_commercial_quantity(f: Facts, c: Checks) -> list[str]:
    if (f.accelerators or 0) < c.th.commercial_quantity or not f.row.consignee_address:
        return []
    word = c.residential_word(f.row.consignee_address)
    if word is None:
        return []
    return [f"consignee address '{f.row.consignee_address}' is residential ('{word}') and receives {f.volume_text()} "
            f"(commercial: {c.th.commercial_quantity} or more)"]  # fmt: skip


FLAGS: dict[str, Flag] = {fn.__name__: fn for fn in (
    listed_party, licence_required_at_destination, hub_consignee_concern_destination_or_payer, freight_forwarder_consignee,
    end_user_missing, end_user_differs_from_consignee, first_time_consignee_large_volume, recently_incorporated_consignee,
    volume_spike, shared_address_phone_or_directors, value_off_market, description_mismatch, third_country_payer,
    residential_address_commercial_quantity,
)}  # fmt: skip


def idle_flags(c: Checks) -> set[str]:
    """Flags that cannot fire in this run, as their functions return [] at once: the scorer skips them."""
    idle = set()
    if c.parties.screener is None and not c.parties.graph_available:
        idle.add("listed_party")
    if not c.parties.graph_available:
        idle.add("recently_incorporated_consignee")
    return idle


def check_flags(ref: Reference) -> list[str]:
    """Problems between the data and the code: a flag without a function, or a function without a flag."""
    problems = [f"red flag {i!r} (data/red_flags.yaml) has no function in shipments/flags.py" for i in ref.flags if i not in FLAGS]
    problems += [f"function {i!r} in shipments/flags.py has no record in data/red_flags.yaml" for i in FLAGS if i not in ref.flags]
    return problems


def consistent_history(f: Facts, th: ShipmentThresholds) -> str | None:
    """Why the consignee's history lowers the mitigable flags, or None."""
    h: History = f.history
    if not h.long(th.history_min_shipments, th.history_min_days, f.row.date):
        return None
    median = h.median()
    if median is not None and f.row.value_usd is not None and f.row.value_usd > th.volume_spike_factor * median:
        return None
    typical = f", median USD {median:,.0f}" if median is not None else ""
    return f"{h.count} earlier shipments to this consignee since {h.first}{typical}: a long, consistent history"
