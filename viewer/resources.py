"""The only door to packaged files (scenarios, page scripts, icons, basemap data).

Everything the app ships lives in the top-level ``resources/`` folder beside
the package; this module finds it whether the app runs from a checkout or
from an installed copy that carries ``resources`` next to ``viewer``.
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent / "resources"


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
