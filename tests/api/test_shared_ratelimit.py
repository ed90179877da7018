"""The workers' shared token buckets: the same answers as the per-process limiter, and one bucket per key
across processes."""

from __future__ import annotations

import os

from computewatch.api.ratelimit import RateLimiter
from computewatch.api.shared_ratelimit import SharedRateLimiter


def test_it_answers_as_the_per_process_limiter() -> None:
    local, shared = RateLimiter(burst=5), SharedRateLimiter(burst=5)
    steps = [(f"key-{i % 3}", 30, 100.0 + i * 0.7) for i in range(60)]
    assert [shared.take(k, n, now=t) for k, n, t in steps] == [local.take(k, n, now=t) for k, n, t in steps]
    assert any(shared.take("key-0", 30, now=142.0) for _ in range(10))  # the bucket does run dry


def test_a_forked_process_takes_from_the_same_bucket() -> None:
    limiter = SharedRateLimiter(burst=3)
    pid = os.fork()
    if pid == 0:  # the child spends the whole burst
        code = 0 if all(limiter.take("shared-key", 60, now=10.0) == 0 for _ in range(3)) else 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert limiter.take("shared-key", 60, now=10.0) == 1  # nothing left here either: one bucket, not two
    assert limiter.take("other-key", 60, now=10.0) == 0


def test_a_full_table_reuses_the_slot_idle_longest() -> None:
    limiter = SharedRateLimiter(burst=1, slots=4)
    for i in range(4):
        limiter.take(f"k{i}", 1, now=float(i))
    assert limiter.take("newcomer", 1, now=10.0) == 0  # a fresh bucket in the oldest slot
    assert limiter.take("newcomer", 1, now=10.0) > 0


def test_a_time_read_a_moment_late_takes_no_tokens_back() -> None:
    """Two processes read the clock, then take turns at the lock: the later reading may write first. With a
    high limit the bucket must not go empty for that (it answered a bench request 429 once)."""
    for limiter in (SharedRateLimiter(burst=100), RateLimiter(burst=100)):
        assert limiter.take("fast-key", 100_000_000, now=50.002) == 0
        assert limiter.take("fast-key", 100_000_000, now=50.001) == 0  # read earlier, served later
        assert all(limiter.take("fast-key", 100_000_000, now=50.002) == 0 for _ in range(90))
