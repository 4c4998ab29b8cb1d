"""numpy and shapely are first imported one thread at a time (viewer.model.numeric): every place in
SitMap that imports them calls numeric.load() just before, so a worker thread and the main thread
never import numpy at once (that can crash)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(import (numpy|shapely)\b|from (numpy|shapely)[\s.])")


def test_every_import_of_numpy_or_shapely_in_the_app_goes_through_numeric_load():
    unguarded = []
    for path in sorted((ROOT / "viewer").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("viewer/model/numeric.py", "viewer/ui/about.py"):  # (the About box only reads versions)
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if not IMPORT.match(line):
                continue
            if not line.startswith((" ", "\t")):
                unguarded.append(f"{rel}:{i + 1}: at module level")
                continue
            j = i - 1
            while j >= 0 and IMPORT.match(lines[j]):  # a run of such imports: the line before the run
                j -= 1
            if lines[j].strip() != "numeric.load()":
                unguarded.append(f"{rel}:{i + 1}: {line.strip()}")
    assert unguarded == []


def test_threads_that_first_need_numpy_at_once_all_get_it():
    # a fresh process: numpy and shapely not yet imported; four threads ask for them at the same moment
    code = """
import sys, threading
from viewer.model import numeric
from viewer.model.simple_ring import valid_polygon
from viewer.model.geometry import split_polygon
from viewer.render.basemap import np as deferred_np
assert "numpy" not in sys.modules and "shapely" not in sys.modules
barrier, out, errors = threading.Barrier(4), [], []
bow_tie = [(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0), (0.0, 0.0)]
def run(k):
    try:
        barrier.wait(10)
        if k == 0: out.append(valid_polygon(bow_tie))
        elif k == 1: out.append(split_polygon([[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]])["type"])
        elif k == 2: out.append(int(deferred_np.arange(3).sum()))
        else: numeric.load(); out.append("loaded")
    except BaseException as e:
        errors.append(repr(e))
threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
[t.start() for t in threads]
[t.join(60) for t in threads]
print(sorted(map(str, out)), errors)
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "['3', 'False', 'Polygon', 'loaded'] []"
