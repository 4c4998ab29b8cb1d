from pathlib import Path

from viewer.model.file_kinds import (MAP_SUFFIX, is_map_name, map_name_for, proposed_map_name,
                                     with_map_suffix)


def test_map_names_end_in_geojson_so_other_gis_tools_still_open_them():
    assert MAP_SUFFIX.endswith(".geojson")
    assert is_map_name("Korea.SITMAP.GeoJSON") and not is_map_name("korea.geojson")


def test_map_name_is_not_doubled_for_names_already_in_a_geojson_form():
    assert map_name_for("x.geojson") == "x.sitmap.geojson"
    assert map_name_for("x.json") == "x.sitmap.geojson"
    assert map_name_for("x.sitmap.geojson") == "x.sitmap.geojson"
    assert map_name_for("x.sitmap") == "x.sitmap.geojson"
    assert map_name_for("") == "map.sitmap.geojson"


def test_save_as_proposal_uses_the_open_file_else_a_title_safe_for_any_file_system():
    assert proposed_map_name("launch.geojson", "ignored") == "launch.sitmap.geojson"
    name = proposed_map_name(None, 'Test: 17/1 "A"\\B*?<>|\n')
    assert name.endswith(MAP_SUFFIX)
    assert not set('/\\:*?"<>|\n') & set(name)
    assert proposed_map_name(None, "...") == "map.sitmap.geojson"


def test_a_typed_name_without_suffix_gets_the_map_suffix_and_a_typed_suffix_is_kept():
    assert with_map_suffix(Path("/d/brief")) == Path("/d/brief.sitmap.geojson")
    assert with_map_suffix(Path("/d/brief.geojson")) == Path("/d/brief.geojson")
    assert with_map_suffix(Path("/d/brief.JSON")) == Path("/d/brief.JSON")


def test_a_map_is_never_saved_under_another_formats_name():
    """GeoJSON written under brief.kml could not be opened again (not XML), and wrote over the KML."""
    for typed in ("brief.kml", "brief.KMZ", "brief.gpkg", "brief.csv", "brief.png", "brief.pdf", "brief.shp"):
        assert with_map_suffix(Path("/d") / typed) == Path("/d/brief.sitmap.geojson"), typed
    assert with_map_suffix(Path("/d/Korea v1.2")) == Path("/d/Korea v1.2.sitmap.geojson")
    assert with_map_suffix(Path("/d/brief.sitmap")) == Path("/d/brief.sitmap.geojson")

