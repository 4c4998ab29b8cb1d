"""What the page's one label placement needs from Python: every basemap label's priority and box
(the same in every tile it is on), and the population of the cities the map marks."""

import pytest

from viewer.render.basemap import Basemap, tile_for_lonlat
from viewer.render.city_sizes import population_of


@pytest.fixture(scope="module")
def basemap():
    return Basemap.load()


def test_tile_labels_carry_their_priority_and_box(basemap):
    z = 8
    x, y = tile_for_lonlat(139.6, 35.5, z)
    labels = basemap.tile_data(z, x, y)["labels"]
    assert labels
    for lab in labels:
        x0, y0, x1, y1 = lab["b"]
        assert x0 < x1 and y0 < y1
        assert isinstance(lab["p"], int) and lab["p"] >= 0
        if lab["kind"] != "country":
            # the dot and the text's anchor are in the box
            assert x0 - 0.1 <= lab["x"] <= x1 + 0.1 and y0 - 0.1 <= lab["y"] <= y1 + 0.1
            assert y0 - 0.1 <= lab["ty"] <= y1 + 0.1
            if lab["align"] == "left":
                assert x1 == pytest.approx(lab["tx"] + lab["w"], abs=0.2)
    # more populous first: Tokyo's priority is before Yokohama's
    p = {lab["text"]: lab["p"] for lab in labels}
    assert p["Tokyo"] < p["Yokohama"]


def test_a_label_on_two_tiles_has_one_priority_and_one_box(basemap):
    z = 6
    seen = {}
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            x, y = tile_for_lonlat(127.0, 38.0, z)
            for lab in basemap.tile_data(z, x + dx, y + dy)["labels"]:
                box = [v + off for v, off in zip(lab["b"], (256 * (x + dx), 256 * (y + dy)) * 2)]
                seen.setdefault((lab["text"], lab["p"]), []).append(box)
    shared = [boxes for boxes in seen.values() if len(boxes) > 1]
    assert shared
    for boxes in shared:
        for b in boxes[1:]:
            assert b == pytest.approx(boxes[0], abs=0.11)
    # and no two labels' boxes overlap (the basemap's own placement)
    placed = [boxes[0] for boxes in seen.values()]
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1])


def test_population_of_a_marked_city():
    assert population_of("Tokyo", 35.685, 139.7514) > population_of("Yokohama", 35.4437, 139.638) > 1_000_000
    assert population_of("tokyo", 35.685, 139.7514) == population_of("Tokyo", 35.685, 139.7514)
    # the name alone is not enough: another place of that name far away is not this city
    assert population_of("Tokyo", 10.0, 10.0) == 0
    assert population_of("", 35.685, 139.7514) == 0
    # the file's own figure wins; nonsense there is ignored
    assert population_of("Tokyo", 35.685, 139.7514, {"population": 5}) == 5
    for bad in (True, -3, "many", float("nan"), None):
        assert population_of("Tokyo", 35.685, 139.7514, {"population": bad}) > 1_000_000


def test_a_city_is_found_with_or_without_its_accents_and_case():
    """Names are folded (accents off, case folded) on both sides; a plain ASCII name takes a short
    way there, an accented one the whole way: both meet."""
    sao = population_of("São Paulo", -23.5475, -46.6361)
    assert sao > 1_000_000
    assert population_of("Sao Paulo", -23.5475, -46.6361) == sao == population_of("SÃO PAULO", -23.5475, -46.6361)
    zurich = population_of("Zürich", 47.3667, 8.55)
    assert zurich > 100_000 and population_of("zurich", 47.3667, 8.55) == zurich
