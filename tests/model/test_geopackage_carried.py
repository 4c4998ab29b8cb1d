"""A GeoPackage SitMap wrote whose facts or map fields table another tool broke (a view of a table
no longer there, a view that never ends, columns changed, the fields no longer text) opens its
features all the same, its report saying what was left out: the facts, or the map's own fields and
its layers' arrangement."""

from __future__ import annotations

import sqlite3

import pytest

from viewer import resources
from viewer.export.writers import writer_for
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import load_scenario


@pytest.fixture(scope="module")
def built():
    return load_scenario(resources.default_scenario())


@pytest.fixture
def gpkg(built, tmp_path):
    """SitMap's GeoPackage of the built-in map, then ``edit(*sql)`` as another tool left it."""
    path = tmp_path / "map.gpkg"
    writer_for(path).write(built, path)

    def edit(*sql: str):
        db = sqlite3.connect(path)
        for q in sql:
            db.execute(q)
        db.commit()
        db.close()
        return path

    return edit


def notes(report) -> str:
    return "\n".join(report.notes)


def test_facts_table_that_cannot_be_read_leaves_out_the_facts_and_says_so(built, gpkg):
    path = gpkg("DROP TABLE facts", "CREATE VIEW facts AS SELECT fact_id, label, value, source, status FROM gone")
    scenario, report = open_map_file(path)
    assert {f.id for f in scenario.features} == {f.id for f in built.features}
    assert scenario.facts == [] and scenario.groups == built.groups  # (the map's fields: read)
    assert "The map's facts (facts) were left out: table 'facts' cannot be read: no such table" in notes(report)


def test_facts_view_that_never_ends_is_stopped_and_the_features_open(built, gpkg, monkeypatch):
    from viewer.model.io import geopackage

    monkeypatch.setattr(geopackage, "QUERY_SECONDS", 0.5)
    path = gpkg("DROP TABLE facts", "CREATE VIEW facts AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                "FROM c) SELECT x AS label, x AS value, x AS source, x AS status FROM c WHERE x < 0")
    scenario, report = open_map_file(path)
    assert len(scenario.features) == len(built.features) and scenario.facts == []
    assert "The map's facts (facts) were left out: table 'facts' cannot be read: reading it took more than" \
        in notes(report)


def test_sitmaps_facts_table_with_its_columns_changed_is_said_left_out(built, gpkg):
    path = gpkg("DROP TABLE facts", "CREATE TABLE facts (fid INTEGER PRIMARY KEY, what TEXT, said_by TEXT)",
                "INSERT INTO facts (what, said_by) VALUES ('Two missiles', 'JCS')")
    scenario, report = open_map_file(path)
    assert len(scenario.features) == len(built.features) and scenario.facts == []
    assert "The map's facts (facts) were left out: table 'facts' does not have the columns label, value, source " \
        "and status" in notes(report)


def test_another_tools_facts_table_is_no_facts_of_the_map(gpkg):
    path = gpkg("DROP TABLE facts", "DELETE FROM gpkg_contents WHERE table_name = 'facts'",
                "CREATE TABLE facts (fid INTEGER PRIMARY KEY, what TEXT)",
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('facts', 'attributes', 'facts')")
    _, report = open_map_file(path)
    assert "Not opened as map features: facts (attributes)" in notes(report)
    assert "The map's facts" not in notes(report)


@pytest.mark.parametrize("sql, why", [
    (("UPDATE sitmap_map SET fields = X'00ff'",), "its fields are not text"),
    (("UPDATE sitmap_map SET fields = NULL",), "its fields are empty"),
    (("DELETE FROM sitmap_map",), "table 'sitmap_map' has no row"),
    (("UPDATE sitmap_map SET fields = 'not json {'",), "not an object"),
    (("DROP TABLE sitmap_map", "CREATE TABLE sitmap_map (fid INTEGER PRIMARY KEY, other TEXT)"),
     "table 'sitmap_map' has no column fields"),
    (("DROP TABLE sitmap_map", "CREATE VIEW sitmap_map AS SELECT fields FROM gone"),
     "table 'sitmap_map' cannot be read: no such table"),
], ids=["blob", "null", "no-row", "not-json", "no-column", "broken-view"])
def test_map_fields_that_cannot_be_read_are_said_left_out_with_the_layers_arrangement(built, gpkg, sql, why):
    path = gpkg(*sql)
    scenario, report = open_map_file(path)
    assert len(scenario.features) == len(built.features) and scenario.facts == built.facts
    assert f"The map's own fields and its layers' arrangement (sitmap_map) were left out: {why}" in notes(report)


def test_a_text_cell_not_utf8_after_the_facts_is_read_again_and_nothing_is_said_twice(built, gpkg):
    # SQLite decodes the cells (in C) until one is not UTF-8; the file is then read again with
    # each such cell's bad bytes replaced: what the first reading had said is not said again.
    path = gpkg("UPDATE facts SET source = X'0001' WHERE fid = 1",  # (said while the facts are read)
                "UPDATE sitmap_map SET fields = CAST(X'7B2261223A2241FF42227D' AS TEXT)")  # (read after them)
    scenario, report = open_map_file(path)
    said = str(report)
    assert "1 × facts opened without a value another tool stored as binary data" in said
    assert said.count("facts[0] (Launch times): its source") == 1
    assert len(scenario.features) == len(built.features)
