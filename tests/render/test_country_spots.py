"""The basemap's tiles offer each country's name other spots inside the country (division centres),
for the page to use where the name's own spot is covered or out of view; never drawn by default."""

import pytest

from viewer.render.basemap import Basemap, tile_for_lonlat
from viewer.render.basemap_labels import Places


@pytest.fixture(scope="module")
def basemap():
    return Basemap.load()


def _labels_around(basemap, lon, lat, z, reach=2):
    x, y = tile_for_lonlat(lon, lat, z)
    out = []
    for dx in range(-reach, reach + 1):
        for dy in range(-reach, reach + 1):
            d = basemap.tile_data(z, x + dx, y + dy)
            assert all("alt" not in lab for lab in d["labels"])  # (the labels drawn as they are)
            for lab in d["labels"] + d.get("spots", []):
                out.append((lab, (256 * (x + dx), 256 * (y + dy))))
    return out


@pytest.mark.parametrize("z", [4, 5])  # (China's name is shown to zoom 5)
def test_north_korea_and_china_have_other_spots_inside_them(basemap, z):
    labs = _labels_around(basemap, 126.0, 40.0, z)
    own = {lab["text"]: lab["p"] for lab, _ in labs if lab["kind"] == "country" and "alt" not in lab}
    spots = {}
    for lab, (ox, oy) in labs:
        if "alt" in lab:
            assert lab["kind"] == "country" and lab["of"] == own.get(lab["text"], lab["of"])
            assert lab["p"] not in own.values() and lab["alt"] >= 1
            x0, y0, x1, y1 = lab["b"]
            assert x0 < lab["tx"] < x1 and y0 < lab["ty"] < y1  # centred in its box
            spots.setdefault((lab["text"], lab["alt"]), set()).add((round(x0 + ox), round(y0 + oy)))
    assert {"North Korea", "China"} <= {t for t, _ in spots}
    # a spot on two tiles is one place
    assert all(len(places) == 1 for places in spots.values()), spots
    # North Korea's spots are in North Korea (38-43 N, 124-131 E)
    from viewer.model import mercator

    world = 256 << z
    for (text, _), places in spots.items():
        if text == "North Korea":
            (x0, y0), = places
            lat, lon = mercator.latlng_of(x0 + 50, y0 + 8, z)
            assert 37.5 < lat < 43.5 and 123.5 < lon < 131.5, (lat, lon, world)


def test_a_missing_or_damaged_spots_file_leaves_every_name_at_its_own_spot(tmp_path):
    import shutil

    from viewer import resources

    src = resources.path("basemap")
    for name in ("places.json.gz",):
        shutil.copy(src / name, tmp_path / name)
    places = Places(tmp_path, {"major": "places.json.gz"})
    assert places.spots(0).shape == (0, 2)  # no file
    (tmp_path / "country_spots.json").write_text('{"CHN": [1, 2, "x"], "PRK": "nonsense", "KOR": [1, 2, 3]')
    places = Places(tmp_path, {"major": "places.json.gz"})
    assert places.spots(0).shape == (0, 2)  # not JSON
    (tmp_path / "country_spots.json").write_text('{"CHN": [1, 2, "x"], "PRK": "nonsense", "KOR": [1, 2, 3], "IND": [5, 6]}')
    places = Places(tmp_path, {"major": "places.json.gz"})
    i = places.c_a3.index("IND")
    assert places.spots(i).tolist() == [[5.0, 6.0]]
    assert places.spots(places.c_a3.index("CHN")).shape == (0, 2)
    assert places.spots(places.c_a3.index("KOR")).shape == (0, 2)


def test_the_packaged_spots_are_those_the_tool_makes():
    import json
    import sys
    from pathlib import Path

    from viewer import resources
    from viewer.render.basemap_labels import COUNTRY_SPOTS

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    try:
        import build_country_spots
    finally:
        sys.path.pop(0)
    packaged = json.loads(resources.path("basemap", COUNTRY_SPOTS).read_text(encoding="utf-8"))
    assert packaged == build_country_spots.build()
    assert len(packaged["PRK"]) >= 2 * 10 and len(packaged["CHN"]) >= 2 * 30
