"""The online layers' tile fetcher is made when a map first needs it, not with every profile: an
export or a start without an online layer never builds it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_profile_makes_its_online_tiles_on_first_use(qapp):
    from viewer.ui.web import make_profile

    profile, handler, guard = make_profile()
    assert handler._online is None
    online = handler.online
    assert online is not None and online.guard is guard and online.parent() is handler
    assert handler.online is online  # (made once)


def test_an_export_without_an_online_layer_never_loads_the_online_tiles(tmp_path):
    out = tmp_path / "map.png"
    script = (
        "import sys; from pathlib import Path; from viewer import api, resources\n"
        "m = api.open_map(resources.default_scenario())\n"
        f"m.export(Path({str(out)!r}), size=(400, 300))\n"
        "print('online_tiles' in ' '.join(sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    assert out.stat().st_size > 1000
    assert r.stdout.strip().splitlines()[-1] == "False", r.stdout
