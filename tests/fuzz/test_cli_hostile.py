"""The command line with hostile files: exit 2, exactly one line on stderr naming the file, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fuzz.sample import CORPUS, corpus_sample

ROOT = Path(__file__).resolve().parents[2]


def test_cli_refuses_each_hostile_file_with_exit_2_and_one_line(tmp_path):
    sample = [CORPUS / e["file"] for e in corpus_sample({"geojson": 8, "kml": 3, "kmz": 3, "csv": 3}, seed=7)]
    huge = tmp_path / "hundreds-of-mb.geojson"
    with open(huge, "wb") as f:
        f.truncate(300 * 2**20)
    sample.append(huge)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    problems = []
    for path in sample:
        out = tmp_path / "out.geojson"
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), str(path), "--export", str(out)], cwd=ROOT,
                           capture_output=True, text=True, timeout=60, env=env)
        lines = r.stderr.splitlines()
        if r.returncode != 2 or len(lines) != 1 or path.name not in lines[0] or "Traceback" in r.stderr or out.exists():
            problems.append(f"{path.name}: exit {r.returncode}, stderr {r.stderr[-500:]!r}")
    assert not problems, "\n".join(problems)
