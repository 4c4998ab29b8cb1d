"""The web engine's command line SitMap adds to (viewer.ui.qt_app.prepare_qt_environment): the page's
script engine told not to collect its whole heap before it holds PAGE_OLD_SPACE_MB, a user's own
flags kept."""

import os
import subprocess
import sys
from pathlib import Path

from viewer.ui import qt_app

ROOT = Path(__file__).resolve().parents[2]


def _prepared(monkeypatch, flags: str | None) -> str:
    if flags is None:
        monkeypatch.delenv("QTWEBENGINE_CHROMIUM_FLAGS", raising=False)
    else:
        monkeypatch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", flags)
    monkeypatch.setenv("QT_QPA_PLATFORM", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    monkeypatch.setenv("QT_LOGGING_RULES", os.environ.get("QT_LOGGING_RULES", ""))
    monkeypatch.setattr(qt_app, "_headless", qt_app._headless)  # (this process's own, put back after)
    qt_app.prepare_qt_environment(headless=True)
    return os.environ["QTWEBENGINE_CHROMIUM_FLAGS"]


def test_the_page_s_script_engine_keeps_its_first_full_collection_for_later(monkeypatch):
    got = _prepared(monkeypatch, None).split()
    assert f"--js-flags=--initial-old-space-size={qt_app.PAGE_OLD_SPACE_MB}" in got
    assert qt_app.PAGE_OLD_SPACE_MB >= 1024  # (a large map's 500 MB of page objects, and what its parts leave)


def test_a_user_s_own_flags_are_kept_and_their_script_engine_flags_not_overridden(monkeypatch):
    got = _prepared(monkeypatch, "--proxy-server=http://proxy:3128 --js-flags=--stack-size=900").split()
    assert "--proxy-server=http://proxy:3128" in got and "--js-flags=--stack-size=900" in got
    assert sum(1 for f in got if f.startswith("--js-flags")) == 1


def test_the_engine_takes_the_flag_and_draws_the_map(tmp_path):
    """A whole start with the flag: the map is drawn (an engine that refused its command line would
    not start its page at all)."""
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from viewer.app import make_application, prepare_qt_environment\n"
        "prepare_qt_environment(headless=True)\n"
        "import os\n"
        "assert '--initial-old-space-size' in os.environ['QTWEBENGINE_CHROMIUM_FLAGS']\n"
        "app = make_application(sys.argv)\n"
        "from viewer import api\n"
        f"api.open_map(None).export({str(tmp_path / 'x.png')!r}, size=(400, 300))\n"
        "print('EXPORTED')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QTWEBENGINE_CHROMIUM_FLAGS"}
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert "EXPORTED" in out.stdout, out.stderr[-2000:]
    assert (tmp_path / "x.png").stat().st_size > 1000
