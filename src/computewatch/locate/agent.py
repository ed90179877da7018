"""A reference chip agent and a probe simulator, for tests and the demo.

`ChipAgent` holds a device key and answers challenges the way chip firmware
would. `simulate_probes` places a chip somewhere on Earth, lets landmarks
challenge it with network delay (geodesic distance x path inflation, plus
processing time) and returns rows of the probes table (CONTRACTS.md).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from computewatch.locate.geometry import great_circle_km
from computewatch.locate.protocol import Answer, Challenge, Landmark, challenge_message, iso_utc


class ChipAgent:
    """Answers landmark challenges with Ed25519 signatures over (nonce, chip id, timestamp)."""

    def __init__(self, chip_id: str, private_key: Ed25519PrivateKey | None = None):
        self.chip_id = chip_id
        self._key = private_key or Ed25519PrivateKey.generate()

    @property
    def public_key(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_key_hex(self) -> str:
        return self.public_key.hex()

    def answer(self, challenge: Challenge, now: datetime) -> Answer:
        message = challenge_message(challenge.nonce, self.chip_id, now)
        return Answer(self.chip_id, challenge.nonce, now, self._key.sign(message))


@dataclass(frozen=True)
class Site:
    lat: float
    lon: float
    country: str


def simulate_probes(
    agent: ChipAgent,
    actual: tuple[float, float],
    claim: Site,
    landmarks: Sequence[Landmark],
    start: datetime,
    rng: random.Random,
    inflation: tuple[float, float] = (1.3, 2.0),
    processing_ms: tuple[float, float] = (0.2, 1.5),
) -> list[dict[str, str]]:
    """Probe rows for a chip really at `actual` that claims `claim`, one per landmark."""
    rows = []
    for n, landmark in enumerate(landmarks):
        sent = start + timedelta(seconds=2 * n)
        challenge = landmark.challenge(sent)
        km = float(great_circle_km(landmark.lat, landmark.lon, actual[0], actual[1]))
        one_way_ms = km * rng.uniform(*inflation) / 200.0
        signed_at = sent + timedelta(milliseconds=one_way_ms)
        answer = agent.answer(challenge, signed_at)
        received = signed_at + timedelta(milliseconds=one_way_ms + rng.uniform(*processing_ms))
        check = landmark.check(answer, None, received)  # records the nonce as answered
        rows.append(
            {
                "chip_id": agent.chip_id,
                "claimed_country": claim.country,
                "claimed_lat": f"{claim.lat:.4f}",
                "claimed_lon": f"{claim.lon:.4f}",
                "landmark_id": landmark.landmark_id,
                "landmark_lat": f"{landmark.lat:.4f}",
                "landmark_lon": f"{landmark.lon:.4f}",
                "rtt_ms": f"{check.rtt_ms:.3f}",
                "ts": iso_utc(sent),
                "nonce": answer.nonce,
                "chip_ts": iso_utc(answer.chip_ts),
                "signature": answer.signature.hex(),
                "public_key": agent.public_key_hex,
            }
        )
    return rows
