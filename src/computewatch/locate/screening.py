"""Which probes count: signature, nonce freshness and replay, timestamps.

A probe is excluded, with a reason a person can read, when its answer is
unsigned or wrongly signed, its nonce was used before (a replay), or it is stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from computewatch.locate.probes import Probe
from computewatch.locate.protocol import challenge_message, public_key_from_hex, signature_verifies
from computewatch.settings import LocateSettings


@dataclass(frozen=True)
class Exclusion:
    line: int
    landmark_id: str
    reason: str
    kind: str  # replayed, unsigned, bad_signature, stale, no_nonce, no_key


def exclusions(
    probes: Sequence[Probe],
    settings: LocateSettings,
    *,
    signed_input: bool,
    nonced_input: bool,
    keys: Mapping[str, str] | None = None,
    as_of: datetime | None = None,
) -> dict[int, Exclusion]:
    """Excluded probes by input line. `signed_input`: the input carries signature evidence."""
    out: dict[int, Exclusion] = {}
    newest: dict[str, datetime] = {}
    for p in probes:
        if p.chip_id not in newest or p.ts > newest[p.chip_id]:
            newest[p.chip_id] = p.ts
    first_use: dict[str, Probe] = {}
    key_cache: dict[str, Ed25519PublicKey | None] = {}
    max_age = timedelta(seconds=settings.max_probe_age_s)
    skew = timedelta(seconds=settings.max_clock_skew_s)
    for p in sorted(probes, key=lambda p: (p.ts, p.line)):
        reference = as_of or newest[p.chip_id]

        def exclude(kind: str, reason: str, p: Probe = p) -> None:
            out.setdefault(p.line, Exclusion(p.line, p.landmark_id, reason, kind))

        if nonced_input or p.nonce:
            if not p.nonce:
                exclude("no_nonce", "no nonce: freshness cannot be shown")
            elif p.nonce in first_use:
                exclude("replayed", f"replayed nonce {p.nonce[:16]} (first answered on line {first_use[p.nonce].line})")
            else:
                first_use[p.nonce] = p
        if p.ts < reference - max_age:
            exclude("stale", f"stale: measured {p.ts.isoformat()}, more than {settings.max_probe_age_s:g} s before {reference.isoformat()}")
        elif p.ts > reference + skew:
            exclude("stale", f"measured {p.ts.isoformat()}, after the verification time {reference.isoformat()}")
        if p.chip_ts is not None and abs(p.chip_ts - p.ts) > skew:
            exclude("stale", f"stale answer: chip signed at {p.chip_ts.isoformat()}, landmark measured at {p.ts.isoformat()}")
        _check_signature(p, settings, signed_input, keys, key_cache, exclude)
    return out


def _check_signature(
    p: Probe,
    settings: LocateSettings,
    signed_input: bool,
    keys: Mapping[str, str] | None,
    key_cache: dict[str, Ed25519PublicKey | None],
    exclude: Callable[[str, str], None],
) -> None:
    if p.signature is not None:
        key_hex = keys.get(p.chip_id) if keys is not None else p.public_key
        if keys is not None and p.public_key and key_hex and p.public_key != key_hex.lower():
            exclude("bad_signature", "answer carries a public key that is not the chip's registered key")
            return
        if not key_hex:
            if p.signature_valid is None:
                exclude("no_key", f"signed, but no public key is known for chip {p.chip_id}")
            elif not p.signature_valid:
                exclude("bad_signature", "landmark reported an invalid signature")
            return
        if key_hex not in key_cache:
            try:
                key_cache[key_hex] = public_key_from_hex(key_hex)
            except ValueError:
                key_cache[key_hex] = None
        key = key_cache[key_hex]
        message = challenge_message(p.nonce or "", p.chip_id, p.chip_ts or p.ts)
        if key is None or not signature_verifies(key, message, p.signature):
            exclude("bad_signature", "signature does not verify for (nonce, chip id, timestamp)")
        return
    if p.signature_valid is False:
        exclude("bad_signature", "landmark reported an invalid signature")
    elif p.signature_valid is None and (signed_input or settings.require_signatures):
        exclude("unsigned", "unsigned answer")
