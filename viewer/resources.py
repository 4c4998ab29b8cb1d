"""The only door to packaged files (scenarios, page scripts, icons, basemap data).

Everything the app ships lives in the top-level ``resources/`` folder of the repository. The
folder is found in one of two places:

* ``viewer/_resources`` — an installed wheel (setup.py copies ``resources/`` there) or the
  PyInstaller bundle (packaging/sitmap.spec puts it at the same place);
* ``resources/`` beside the ``viewer`` package — a source checkout or an editable install.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find_root() -> Path:
    candidates = (_PACKAGE / "_resources", _PACKAGE.parent / "resources")
    for candidate in candidates:
        if (candidate / "scenarios").is_dir():
            return candidate
    # Nothing found: a broken install. Name the places looked at in the error that follows.
    return candidates[-1]


_ROOT = _find_root()


def root() -> Path:
    return _ROOT


def path(*parts: str) -> Path:
    """Absolute path of a packaged file; refuses to leave the resources folder."""
    p = (_ROOT.joinpath(*parts)).resolve()
    if _ROOT not in p.parents and p != _ROOT:
        raise ValueError(f"resource path escapes resources/: {'/'.join(parts)}")
    return p


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")


def default_scenario() -> Path:
    return path("scenarios", "2022-01-17-dprk-launch.geojson")
