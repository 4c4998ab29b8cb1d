"""``sitmap FILE --export OUT`` with a file from another tool: what was left out goes to stderr,
the exit status stays 0, and the export holds everything that could be shown."""

import json

from tests.conftest import DATA
from tests.test_cli import run

OWN = DATA / "realworld" / "sitmap-made"


def test_a_kml_with_a_model_exports_the_rest_and_says_what_was_left_out(tmp_path):
    out = tmp_path / "out.geojson"
    r = run(str(OWN / "my-maps-export.kml"), "--export", str(out))
    assert r.returncode == 0, r.stderr
    assert "my-maps-export.kml: opened 4 feature(s); left out 2:" in r.stderr
    assert "1 \u00d7 3D models: Placemark 6 (name 'Tower model')" in r.stderr
    assert "Placemark 3 (name 'Not placed yet')" in r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    names = [f["properties"]["name"] for f in doc["features"]]
    assert names == ["Pyongyang (Ryongsong)", "Sohae", "Eastward track", "Estimated impact area"]
    assert doc["name"] == "Launch areas (My Maps style)"


def test_a_file_with_nothing_usable_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "empty.kml"
    bad.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>x</name></Placemark>'
                   "</Document></kml>", encoding="utf-8")
    r = run(str(bad), "--export", str(tmp_path / "out.geojson"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing SitMap can show" in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "out.geojson").exists()


def test_a_device_or_a_pipe_is_refused_in_one_line_not_read_for_ever(tmp_path):
    # (found in review: /dev/zero was read until the out-of-memory killer ended SitMap)
    import os

    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    for named in ("/dev/zero", str(fifo)):
        for args in ([named, "--export", str(tmp_path / "out.geojson")],
                     ["--draft", named, "--export", str(tmp_path / "out.geojson")]):
            r = run(*args)
            assert r.returncode == 2, r.stderr
            assert "a device, a pipe or a socket" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.geojson").exists()


def test_an_export_to_the_file_the_map_was_read_from_is_refused_and_the_file_kept(tmp_path):
    """What the file held and SitMap could not show (a KML's overlays, a placemark without a place)
    would be lost: an export never writes over the file it was read from, by any name of it."""
    import os

    import pytest

    from viewer import api
    from viewer.api import SitMapError

    kml = tmp_path / "mine.kml"
    kml.write_bytes((OWN / "my-maps-export.kml").read_bytes())
    before = kml.read_bytes()
    for target in (str(kml), os.path.join(str(tmp_path), ".", "mine.kml")):
        r = run(str(kml), "--export", target)
        assert r.returncode != 0 and "opened from" in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert kml.read_bytes() == before
    link = tmp_path / "link.kml"
    link.symlink_to(kml)
    m = api.open_map(link)
    with pytest.raises(SitMapError, match="opened from"):
        m.export(kml)
    own = tmp_path / "own.sitmap.geojson"
    api.open_map(kml).save(own)
    saved = own.read_bytes()
    with pytest.raises(SitMapError, match="save"):
        api.open_map(own).export(own)
    assert own.read_bytes() == saved and kml.read_bytes() == before
    m.export(tmp_path / "other.kml")  # (any other file: as before)
    assert (tmp_path / "other.kml").exists()


def test_a_file_whose_name_is_no_utf8_exports_with_its_name_read_as_windows_does(tmp_path):
    # (a Latin-1 "café.geojson": its name made the features' source and the map's title, and the
    # GeoJSON, CSV and GeoPackage exports failed on it, "UnicodeEncodeError: ... surrogates not allowed")
    import os

    src = os.path.join(os.fsencode(tmp_path), b"caf\xe9.geojson")
    with open(src, "wb") as f:
        f.write(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Bern"},
                            "geometry": {"type": "Point", "coordinates": [7.44, 46.95]}}]}).encode())
    for suffix in (".geojson", ".csv", ".gpkg"):
        out = tmp_path / f"out{suffix}"
        r = run(os.fsdecode(src), "--export", str(out))
        assert r.returncode == 0 and out.is_file(), r.stderr
    doc = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["source"] == "caf\u00e9.geojson"
