"""`computewatch demo` builds a workspace from the bundled data and summarises every scenario it covers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_runs_every_capability(tmp_path: Path):
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "computewatch", "demo", "--workspace", str(tmp_path / "ws")],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "S1 notice s1_cloud_gpu_reseller.html" in text and "flagged: rents controlled compute" in text
    assert "S2 notice s2_azure_openai_tokens.txt" in text
    assert "negative_domestic_cloud.html (松溪大学): not flagged" in text
    assert "H100-SXM to CN on 2024-06-01: 3A090.a, licence required" in text
    assert "CHIP-SG-0004 claims SG: NOT consistent" in text
    assert "Inspur Group Co., Ltd." in text  # a Han party matched to its English list name
    assert "path: Kestrel Compute Sdn. Bhd. (MY) <- 100% Harbourline Holdings Limited (HK) <- 60%" in text
    assert "ops-reseller: acc-brightwater" in text  # S1 at the cloud provider
    assert "ops-token-resale" in text and "ops-bulk-import" in text and "ops-training-run" in text
    assert "S7-FWD-1 to Rapidlink Freight Forwarding" in text
    assert "cases from" in text and "one per subject" in text and "hash-chained records, intact" in text
    # S9 re-screening: the list update is caught on the account holder, the rule change on the S6 affiliates
    flat = " ".join(text.replace("│", " ").split())
    assert "rescreen-list-match: Summit Bridge AI Services Pte. Ltd. (SG) now matches" in flat
    assert "rescreen-affiliate: Kestrel Compute Sdn. Bhd. (MY) restricted as an affiliate" in flat
    # S8 fleet monitoring: a chip that moved, a landmark that lies, a chip that fell silent
    assert "chip-location (critical): chip CHIP-MY-0102 (site KUL-DC-2, MY)" in flat and "moved about" in flat
    assert "chip-location-landmark (high): landmark BKK" in flat and "CHIP-US-0104" in flat
    # decisions that stick: the cleared false positive stays quiet at the next re-screening
    assert "as a false positive" in flat and "raised 0 alert(s) on that match" in flat
    assert "1 alert(s) on it suppressed by the decision" in flat
    assert (tmp_path / "ws" / "computewatch.duckdb").exists()
