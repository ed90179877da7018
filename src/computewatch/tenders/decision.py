"""Flag a notice, with reasons in words.

A notice is flagged when it
- buys a chip that needs a U.S. export licence for the destination on the notice
  date (the policy rules decide: ECCN band, licence, as of that day), as hardware
  or as compute rented on a foreign cloud;
- buys tokens or API access of a foreign model provider that does not offer the
  service at the destination (providers.yaml, `not_offered_in`);
- or buys compute (chips, foreign cloud or model services) with a party that
  matches a restricted-party list; a matched buyer is classified as a listed end
  user, so every item subject to the EAR needs a licence.
Compute rented on a domestic cloud, domestic chips, uncontrolled chips, foreign
clouds without controlled compute and unrelated purchases give notes, not flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from computewatch.policy import Classification, EndUser, classify_accelerator
from computewatch.sources.tenders.items import LineItem
from computewatch.tenders.providers import Provider, fold
from computewatch.tenders.recognise import Recognised


@dataclass
class PartyHit:
    role: str
    name: str
    caption: str
    score: float
    source: str


@dataclass
class Decision:
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    intermediaries: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _classify(chip: str, destination: str, on: date, listed: bool) -> Classification:
    return classify_accelerator(chip, destination, on, EndUser(listed=True, affiliate_of_listed=False) if listed else None)


def _quantity(r: Recognised) -> str:
    parts = []
    if r.servers:
        parts.append(f"{r.servers} server{'s' if r.servers > 1 else ''}")
    if r.cards:
        parts.append(f"{r.cards} card{'s' if r.cards > 1 else ''}")
    if r.gpu_hours:
        parts.append(f"{r.gpu_hours:,.0f} GPU-hours")
    return f" ({', '.join(parts)})" if parts else ""


def _rules(c: Classification) -> str:
    return ", ".join(ref.id for ref in c.rules if ref.role != "classification") or ", ".join(ref.id for ref in c.rules)


def _is_provider(supplier: str, provider: Provider) -> bool:
    name = fold(supplier)
    return any(fold(a) in name for a in (provider.name, *provider.aliases) if len(a) > 2)


def decide(
    items: list[tuple[LineItem, Recognised]],
    destination: str,
    on: date,
    suppliers: list[str],
    hits: list[PartyHit],
) -> Decision:
    d = Decision()
    buyer_listed = any(h.role == "buyer" for h in hits)
    compute_bought = False
    for item, r in items:
        record: dict[str, Any] = {
            "text": item.text, "chip": r.chip, "eccn": None,
            "cloud_provider": r.provider.name if r.provider else None, "kind": r.kind,
        }
        chosen: Classification | None = None
        for chip in r.chips:
            c = _classify(chip, destination, on, buyer_listed)
            if chosen is None or (c.license_required and not chosen.license_required):
                chosen = c
        if chosen is not None:
            record.update(chip=chosen.chip, eccn=chosen.eccn, license_required=chosen.license_required)
        _item_extras(record, item, r)
        d.items.append(record)
        foreign = r.provider is not None and r.provider.foreign_to(destination)
        compute_bought |= bool(r.chips) or (foreign and r.kind in ("cloud_compute", "model_tokens", "model_api"))
        via = [s for s in suppliers if r.provider is None or not _is_provider(s, r.provider)]
        through = f", supplied by {', '.join(via)}" if via else ""
        if chosen is not None and chosen.license_required:
            on_domestic_cloud = r.kind == "cloud_compute" and r.provider is not None and not foreign
            if on_domestic_cloud:
                d.notes.append(f"rents {chosen.chip} compute on {r.provider.name if r.provider else ''}, a domestic cloud: not an export")
            elif r.kind == "cloud_compute" and r.provider is not None:
                d.reasons.append(
                    f"rents controlled compute ({chosen.chip}, ECCN {chosen.eccn}){_quantity(r)} on {r.provider.name} "
                    f"({r.provider.country}), a foreign cloud provider, for a buyer in {destination}{through}; "
                    f"the chip needs a licence for {destination} on {on.isoformat()} ({_rules(chosen)})")
                d.intermediaries.extend(via)
            else:
                d.reasons.append(
                    f"buys {chosen.chip}{_quantity(r)}, ECCN {chosen.eccn}, which needs a U.S. export licence for "
                    f"{destination} on {on.isoformat()} ({_rules(chosen)}){through}")
        elif chosen is not None:
            band = f"ECCN {chosen.eccn}" if chosen.eccn else "not in a 3A090/4A090 band"
            d.notes.append(f"{chosen.chip}: {band}, no licence needed for {destination} on {on.isoformat()}")
        if r.kind in ("model_tokens", "model_api") and r.provider is not None and foreign and not r.provider.offered_in(destination):
            volume = f"{r.tokens:,.0f} tokens of " if r.tokens else "access to "
            d.reasons.append(
                f"buys {volume}{r.provider.name} ({r.provider.country}), a model service not offered in {destination} "
                f"({r.provider.source}){through}")
            d.intermediaries.extend(via)
        elif r.kind == "cloud_compute" and foreign and not r.chips:
            d.notes.append(f"GPU compute on {r.provider.name if r.provider else ''} without a named chip: check which accelerators")
        elif r.kind == "cloud_service" and foreign and r.provider is not None:
            d.notes.append(f"uses {r.provider.name} ({r.provider.country}) without controlled compute")
        if r.domestic_compute:
            d.notes.append(f"domestic compute: {', '.join(r.domestic_compute)}")
        d.notes.extend(r.evidence)
    if compute_bought:
        for h in hits:
            d.reasons.append(f"{h.role} '{h.name}' matches '{h.caption}' on {h.source or 'a restricted-party list'} (score {h.score:.2f})")
    elif hits:
        d.notes.extend(f"{h.role} '{h.name}' matches '{h.caption}' (score {h.score:.2f}); the notice buys no compute" for h in hits)
    d.flagged = bool(d.reasons)
    d.reasons = list(dict.fromkeys(d.reasons))
    d.notes = list(dict.fromkeys(d.notes))
    d.intermediaries = list(dict.fromkeys(d.intermediaries))
    return d


def _item_extras(record: dict[str, Any], item: LineItem, r: Recognised) -> None:
    extras = {
        "name": item.name, "brand": item.brand, "model": item.model, "quantity": item.quantity, "unit": item.unit,
        "unit_price_cny": item.unit_price_cny, "vendor": r.vendor,
        "provider_country": r.provider.country if r.provider else None,
        "tokens": r.tokens, "gpu_hours": r.gpu_hours, "cards": r.cards, "servers": r.servers,
    }
    record.update({k: v for k, v in extras.items() if v is not None})
