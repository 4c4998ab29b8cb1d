import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Qt reads these at start-up: no display needed, and Chromium refuses its sandbox as root.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
for _flag in ("--no-sandbox", "--disable-gpu"):
    if _flag not in _flags:
        _flags = f"{_flags} {_flag}".strip()
os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = _flags

DATA = Path(__file__).resolve().parent / "data"


import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _release_web_profile_last():
    """QtWebEngine crashes at exit if its profile goes before a page: delete pages first."""
    yield
    import sys as _sys

    if "viewer.ui.web" in _sys.modules:
        _sys.modules["viewer.ui.web"].release_profile()


@pytest.fixture(autouse=True)
def _no_basemap_choice_left_over():
    """The basemap chosen (a tile package, an online layer) is the app's, not a window's: a test
    that chose one leaves the next test the offline basemap, as a new run would have it."""
    yield
    registry = getattr(sys.modules.get("viewer.render.tile_packages"), "REGISTRY", None)
    if registry is not None and (registry.packages() or registry.chosen_id or registry.online):
        registry.clear()
