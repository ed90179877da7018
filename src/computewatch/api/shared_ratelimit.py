"""Per-key rate limits that hold across the pre-fork server's worker processes.

The same token bucket as `ratelimit.RateLimiter`, kept in one anonymous shared memory map that the parent
creates before it forks, so that a key gets its per-minute limit from the server as a whole, whichever
worker each of its connections lands on (with a bucket per process it would get N times the limit).
A fixed table of slots, found by a hash of the key with linear probing; a lock shared by the processes
guards it (a request holds it for a few microseconds). When every probed slot is taken by other keys,
the one idle longest is reused: that key starts again with a full bucket.
"""

from __future__ import annotations

import hashlib
import math
import mmap
import multiprocessing
import struct
import time

from computewatch.api.ratelimit import RateLimiter

SLOT = struct.Struct("=Qdd")  # key hash (0: free), tokens, last update (time.monotonic, the same in every process)
SLOTS = 8192
PROBES = 16


class SharedRateLimiter(RateLimiter):
    def __init__(self, burst: int, slots: int = SLOTS):
        super().__init__(burst)
        self.slots = slots
        self._map = mmap.mmap(-1, SLOT.size * slots)  # anonymous and shared: inherited by forked children
        self._shared_lock = multiprocessing.get_context("fork").Lock()

    @staticmethod
    def _hash(key: str) -> int:
        return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") or 1

    def _slot(self, digest: int) -> tuple[int, float | None, float]:
        """The slot of `digest`: (index, tokens or None for a new bucket, updated)."""
        start = digest % self.slots
        oldest, oldest_at = start, math.inf
        for step in range(PROBES):
            index = (start + step) % self.slots
            held, tokens, updated = SLOT.unpack_from(self._map, index * SLOT.size)
            if held == digest:
                return index, tokens, updated
            if held == 0:
                return index, None, 0.0
            if updated < oldest_at:
                oldest, oldest_at = index, updated
        return oldest, None, 0.0

    def take(self, key: str, per_minute: int, now: float | None = None) -> int:
        """0 when the request may go ahead, else the seconds to wait before the next one."""
        rate = per_minute / 60.0
        capacity = float(max(1, min(self.burst, per_minute)))
        digest = self._hash(key)
        with self._shared_lock:
            now = time.monotonic() if now is None else now  # read under the lock: the processes take turns
            index, tokens, updated = self._slot(digest)
            # a clock read a moment before another process's is no reason to take tokens back
            tokens = capacity if tokens is None else min(capacity, tokens + max(0.0, now - updated) * rate)
            wait = 0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = max(1, math.ceil((1.0 - tokens) / rate))
            SLOT.pack_into(self._map, index * SLOT.size, digest, tokens, max(now, updated))
        return wait
