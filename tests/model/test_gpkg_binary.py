"""A GeoPackage table's binary columns (pictures, documents: geopackage-java's import_db.gpkg has
blob and blob_limited) are not opened, and the report says which (before: left out unsaid)."""

from __future__ import annotations

from tools.big_projects import write_geopackage
from viewer.model.io.open_any import open_map_file

POINT = bytes.fromhex("0101000000000000000000f03f000000000000f03f")  # POINT (1 1)


def test_binary_columns_are_named_as_not_opened(tmp_path):
    path = write_geopackage(tmp_path / "pictures.gpkg", 4326, [POINT, POINT], """
        ALTER TABLE t ADD COLUMN photo BLOB; ALTER TABLE t ADD COLUMN note TEXT;
        UPDATE t SET photo = x'89504e470d0a1a0a', note = 'gate' WHERE fid = 1;""")
    scenario, report = open_map_file(path)
    assert [(f.name, f.properties.get("note"), "photo" in f.properties) for f in scenario.features] == [
        ("n1", "gate", False), ("n2", None, False)]
    assert "Table 't': its binary columns not opened (photo)" in str(report)
    plain = write_geopackage(tmp_path / "plain.gpkg", 4326, [POINT])
    assert "binary" not in str(open_map_file(plain)[1])
