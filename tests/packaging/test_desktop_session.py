"""A desktop session on a real X server: SitMap installed with --install-desktop opens a saved
map on xdg-open, and a second xdg-open reaches the running SitMap."""

import shutil
import subprocess
import sys

import pytest

from tests.packaging.conftest import ROOT, WindowEvents, clean_env, need, sitmap_windows, xdg_open_twice


def test_xdg_open_on_a_saved_map_opens_sitmap_and_a_second_one_reaches_the_same_process(tmp_path, xvfb):
    need("xdg-mime", "mimetype", "update-mime-database")
    home = tmp_path / "home"
    env = clean_env(home, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="xcb")
    r = subprocess.run([sys.executable, "-m", "viewer", "--install-desktop"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    xdg_open_twice(env, xvfb.display, tmp_path)


def test_sitmap_started_on_a_kml_shows_a_new_map_named_after_it(tmp_path, xvfb):
    need("xwininfo")
    kml = tmp_path / "notes.kml"
    shutil.copy(ROOT / "tests" / "data" / "exchange" / "google-earth.kml", kml)
    env = clean_env(tmp_path / "home", PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="xcb", DISPLAY=xvfb.display)
    app = subprocess.Popen([sys.executable, "-m", "viewer", str(kml)], cwd=tmp_path, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    events = WindowEvents(xvfb.display)
    try:
        events.wait(lambda: any("notes.kml (not saved as a map)" in t for _, t in sitmap_windows(xvfb.display))
                    or (app.poll() is not None and pytest.fail(app.stderr.read().decode()[-2000:])),
                    120, "a window titled after notes.kml", processes=(app,))
    finally:
        events.close()
        app.terminate()
        app.wait(30)
