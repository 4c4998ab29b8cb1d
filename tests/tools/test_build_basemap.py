"""Pieces of the basemap build (tools/basemap_ne.py, used by tools/build_basemap.py): where river
names go along a line, and reading the Natural Earth GeoJSON from a checkout or from a git clone."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("basemap_ne", ROOT / "tools" / "basemap_ne.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_name_sits_above_a_straight_river(tool) -> None:
    line = np.array([[0.0, 100.0], [400.0, 100.0]])  # west to east, y down
    places = tool._river_label_options(line, w=40.0, h=13.2, size=11.0, spacing=560.0)
    assert len(places) == 1  # shorter than the spacing: one place, in the middle
    cx, cy, angle = places[0][0]
    assert abs(cx - 200.0) < 3 and angle == 0.0
    assert cy < 100.0 - 13.2 / 2  # above the line, clear of it
    assert places[0][1][1] > 100.0 + 13.2 / 2  # the second option: below it


def test_name_reads_left_to_right_along_a_slope(tool) -> None:
    # drawn from north-east to south-west: the text still reads from left to right
    line = np.array([[300.0, 0.0], [0.0, 300.0]])
    (opts,) = tool._river_label_options(line, w=40.0, h=13.2, size=11.0, spacing=560.0)
    assert abs(opts[0][2] - (-45.0)) < 0.5


def test_no_name_where_the_river_winds(tool) -> None:
    x = np.linspace(0, 400, 401)
    zigzag = np.column_stack([x, 100 + 12 * np.sign(np.sin(x / 6.0))])  # bends every 19 px
    assert tool._river_label_options(zigzag, w=60.0, h=13.2, size=11.0, spacing=560.0) == []
    assert tool._river_label_options(np.array([[0.0, 0.0], [50.0, 0.0]]), w=40.0, h=13.2, size=11.0,
                                     spacing=560.0) == []  # shorter than its name


def test_long_river_is_named_again_and_near_its_ends(tool) -> None:
    line = np.array([[0.0, 0.0], [2000.0, 0.0]])
    places = tool._river_label_options(line, w=40.0, h=13.2, size=11.0, spacing=560.0)
    xs = sorted(p[0][0] for p in places)
    assert len(places) == 4
    assert xs[0] < 100 and xs[-1] > 1900  # a name by each end (a mouth, a confluence)
    assert min(np.diff(xs)) > 400


def _write_geojson_repo(root: Path, tool) -> None:
    import py7zr

    urban = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"min_zoom": 5.0},
         "geometry": {"type": "Polygon", "coordinates": [[[124.3, 40.0], [124.5, 40.0], [124.5, 40.2], [124.3, 40.0]]]}}]}
    rivers = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Yalu", "min_label": 8.0},
         "geometry": {"type": "LineString", "coordinates": [[124.37, 40.09], [125.0, 40.5]]}},
        {"type": "Feature", "properties": {"name": None, "min_label": 3.0},
         "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}
    (root / "50m" / "cultural").mkdir(parents=True)
    (root / "10m" / "physical").mkdir(parents=True)
    (root / tool.NE_URBAN).write_text(json.dumps(urban), encoding="utf-8")
    with py7zr.SevenZipFile(root / tool.NE_RIVERS, "w") as z:
        z.writestr(json.dumps(rivers), "ne_10m_rivers_lake_centerlines.json")


def test_reads_a_checkout_and_a_bare_clone_alike(tool, tmp_path: Path) -> None:
    work = tmp_path / "checkout"
    _write_geojson_repo(work, tool)
    from_dir = tool.NaturalEarthGeoJSON(work)
    assert not from_dir.from_git

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q", str(work)], check=True)
    subprocess.run(git + ["-C", str(work), "add", "."], check=True)
    subprocess.run(git + ["-C", str(work), "commit", "-qm", "data"], check=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(tmp_path / "bare")], check=True)
    from_git = tool.NaturalEarthGeoJSON(tmp_path / "bare")
    assert from_git.from_git and len(from_git.commit) == 40

    for src in (from_dir, from_git):
        names, _lines, zmin = tool._load_river_names(src.geojson(tool.NE_RIVERS))
        assert names == ["Yalu"] and list(zmin) == [7]  # unnamed lines left out; named a zoom early
        urban, mz = tool._load_urban(src.geojson(tool.NE_URBAN))
        assert len(urban) == 1 and list(mz) == [5.0]
    assert from_dir.sha256(tool.NE_RIVERS) == from_git.sha256(tool.NE_RIVERS)


def test_a_wrong_folder_gives_a_clear_message(tool, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as e:
        tool.NaturalEarthGeoJSON(tmp_path)
    assert "natural-earth-geojson" in str(e.value) and str(tmp_path) in str(e.value)


def test_river_label_sizes_match_the_viewer(tool) -> None:
    """The build sizes the names with the viewer's text metrics and records the font sizes it used."""
    meta = json.loads((ROOT / "resources" / "basemap" / "basemap.json").read_text(encoding="utf-8"))
    rn = meta["river_names"]
    assert {int(z): v for z, v in rn["size"].items()} == {z: tool.river_label_size(z) for z in rn["zooms"]}
