"""Per-key rate limits: a token bucket per key, in this process's memory."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, burst: int):
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, per_minute: int, now: float | None = None) -> int:
        """0 when the request may go ahead, else the seconds to wait before the next one."""
        now = time.monotonic() if now is None else now
        rate = per_minute / 60.0
        capacity = float(max(1, min(self.burst, per_minute)))
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(capacity, now)
            # max(0, ...): a time read just before another thread's must not take tokens back
            bucket.tokens = min(capacity, bucket.tokens + max(0.0, now - bucket.updated) * rate)
            bucket.updated = max(now, bucket.updated)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0
            return max(1, math.ceil((1.0 - bucket.tokens) / rate))
