"""What SitMap opened as valid areas, its drawn exports (GeoJSON, KML, GeoPackage) write so that they
reopen as the same areas: the nine-decimal rounding every written geometry gets must not make a
ring cross or touch itself (Natural Earth's Sudan has a vertex within 1e-9 degrees of another edge)
nor leave a hole of no area (which had the whole polygon left out on reopening): such a polygon is
written unrounded."""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from viewer.export.writers import writer_for
from viewer.model.geometry import shape_of
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import Feature, Scenario

NATURAL_EARTH = DATA / "realworld" / "fastkml-natural-earth" / "ne_110m_admin_0_countries.zip"


@pytest.mark.parametrize("suffix", [".geojson", ".kml", ".gpkg"])
def test_natural_earth_countries_reopen_from_each_export_as_the_same_areas(tmp_path, suffix):
    opened, _ = open_map_file(NATURAL_EARTH)
    path = tmp_path / f"countries{suffix}"
    writer_for(path).write(opened, path)
    again, report = open_map_file(path)
    assert not report.counts, str(report)
    assert len(again.features) == len(opened.features)
    sudan = [f for f in again.features if f.name == "Sudan"]
    assert len(sudan) == 1


def test_an_area_whose_hole_the_rounding_would_leave_no_area_is_written_so_that_it_reopens(tmp_path):
    shell = [[-80.0, 50.0], [-70.0, 50.0], [-70.0, 60.0], [-80.0, 60.0], [-80.0, 50.0]]
    speck = [[-75.0, 55.0], [-75.0, 55.0 + 1e-10], [-75.0 + 1e-10, 55.0], [-75.0, 55.0]]
    area = Feature("mainland", "area", {"type": "Polygon", "coordinates": [shell, speck]},
                   {"kind": "area", "name": "Mainland", "source": "x"})
    assert shape_of(area).geojson["coordinates"][1] == [[-75.0, 55.0], [-75.0, 55.0 + 1e-10], [-75.0 + 1e-10, 55.0],
                                                       [-75.0, 55.0]]  # (unrounded)
    for suffix in (".geojson", ".kml", ".gpkg"):
        path = tmp_path / f"speck{suffix}"
        writer_for(path).write(Scenario(title="t", features=[area], facts=[]), path)
        again, report = open_map_file(path)
        assert [f.name for f in again.features] == ["Mainland"], (suffix, str(report))
