"""A desktop session on a real X server: SitMap installed with --install-desktop opens a saved
map on xdg-open, and a second xdg-open reaches the running SitMap."""

import subprocess
import sys

from conftest import ROOT, clean_env, need, xdg_open_twice


def test_xdg_open_on_a_saved_map_opens_sitmap_and_a_second_one_reaches_the_same_process(tmp_path, xvfb):
    need("xdg-mime", "mimetype", "update-mime-database")
    home = tmp_path / "home"
    env = clean_env(home, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="xcb")
    r = subprocess.run([sys.executable, "-m", "viewer", "--install-desktop"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    xdg_open_twice(env, xvfb.display, tmp_path)
