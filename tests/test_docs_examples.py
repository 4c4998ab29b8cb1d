"""docs/scripting.md's examples run as written, in order, in an empty folder, without a window."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_scripting_guide_examples_run(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "scripting.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for i, code in enumerate(blocks):
        r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env,
                           timeout=300)
        assert r.returncode == 0, f"example {i + 1} failed:\n{code}\n{r.stderr[-2000:]}"
    for name in ("event.geojson", "event.kml", "test-launch.sitmap.geojson", "test-launch.sitmap.geojson.bak",
                 "briefing.png", "briefing.pdf", "briefing.html", "history.kml"):
        assert (tmp_path / name).stat().st_size > 500, name
