"""Named points where tests may stop the process, to prove that a crash there loses nothing.

Test-only. With COMPUTEWATCH_TEST_CRASH_AT="point" the process ends at once (os._exit, like
kill -9: no cleanup, no commit) when it reaches that point; "point:pause" instead writes the
point's name to the file named by COMPUTEWATCH_TEST_CRASH_SIGNAL and sleeps, so the test can
send a real SIGKILL. Several points may be given, separated by commas. Unset: no effect.

Points: list-version-staged (inside the list load's transaction, before COMMIT),
list-version-committed, rescreen-computed (before its results are saved),
rescreen-saved (before its cases are opened), cases-opened (before the delivery is marked).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "COMPUTEWATCH_TEST_CRASH_AT"
SIGNAL_ENV = "COMPUTEWATCH_TEST_CRASH_SIGNAL"
EXIT_CODE = 137  # what a shell reports for a process killed by SIGKILL


def crash_point(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    for item in spec.split(","):
        point, _, how = item.strip().partition(":")
        if point != name:
            continue
        if how == "pause":
            signal = os.environ.get(SIGNAL_ENV)
            if signal:
                Path(signal).write_text(name)
            time.sleep(600)
        os._exit(EXIT_CODE)
