"""Challenge-response between a landmark and a chip, signed with the chip's Ed25519 key.

The landmark sends a fresh random nonce; the chip signs (nonce, chip id, its
timestamp) and answers; the landmark checks the signature, that the nonce is one
it issued and has not seen answered before (a replay), and that the chip's
timestamp is close to its own clock. The round-trip time is the gap between
sending the nonce and receiving the answer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PROTOCOL = "computewatch-locate/1"


def iso_utc(ts: datetime) -> str:
    """The canonical timestamp text that is signed: UTC, microseconds, trailing Z."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def challenge_message(nonce: str, chip_id: str, chip_ts: datetime) -> bytes:
    """The bytes a chip signs: protocol tag, nonce, chip id and timestamp, one per line."""
    return f"{PROTOCOL}\n{nonce}\n{chip_id}\n{iso_utc(chip_ts)}".encode()


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from 64 hex digits (the raw 32-byte key)."""
    raw = bytes.fromhex(text.strip())
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes (64 hex digits)")
    return Ed25519PublicKey.from_public_bytes(raw)


def signature_verifies(key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class Challenge:
    landmark_id: str
    nonce: str
    issued_at: datetime


@dataclass(frozen=True)
class Answer:
    chip_id: str
    nonce: str
    chip_ts: datetime
    signature: bytes


@dataclass(frozen=True)
class ProbeCheck:
    """What a landmark concluded about one answer."""

    accepted: bool
    rtt_ms: float
    reason: str | None = None


@dataclass
class Landmark:
    """A measuring station of known position that issues nonces and checks answers."""

    landmark_id: str
    lat: float
    lon: float
    max_clock_skew_s: float = 30.0
    _issued: dict[str, Challenge] = field(default_factory=dict, repr=False)
    _answered: set[str] = field(default_factory=set, repr=False)

    def challenge(self, now: datetime) -> Challenge:
        nonce = secrets.token_hex(16)
        issued = Challenge(self.landmark_id, nonce, now)
        self._issued[nonce] = issued
        return issued

    def check(self, answer: Answer, key: Ed25519PublicKey | None, received_at: datetime) -> ProbeCheck:
        """Check an answer; every nonce is accepted at most once."""
        issued = self._issued.get(answer.nonce)
        if issued is None:
            return ProbeCheck(False, float("nan"), "nonce was never issued by this landmark")
        rtt_ms = (received_at - issued.issued_at).total_seconds() * 1000.0
        if answer.nonce in self._answered:
            return ProbeCheck(False, rtt_ms, "replayed nonce")
        self._answered.add(answer.nonce)
        if not answer.signature or key is None:
            return ProbeCheck(False, rtt_ms, "unsigned answer")
        message = challenge_message(answer.nonce, answer.chip_id, answer.chip_ts)
        if not signature_verifies(key, message, answer.signature):
            return ProbeCheck(False, rtt_ms, "signature does not verify")
        skew = abs((answer.chip_ts - issued.issued_at).total_seconds())
        if skew > self.max_clock_skew_s:
            return ProbeCheck(False, rtt_ms, f"stale answer: chip timestamp {skew:.0f} s off")
        return ProbeCheck(True, rtt_ms)
