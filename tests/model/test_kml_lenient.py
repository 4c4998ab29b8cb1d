"""KML as other tools write it, opened as far as it can be shown (files as the bug reports had
them: a MultiGeometry with one empty part, GDAL's non-conformant Multi* elements, a balloon with
an image inline, coordinates with a fourth value)."""

import pytest

from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import ScenarioError

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>"""


def _open(tmp_path, placemarks, name="t.kml"):
    p = tmp_path / name
    p.write_text(KML.format(placemarks), encoding="utf-8")
    return open_map_file(p)


def test_a_multigeometry_keeps_its_parts_but_an_empty_one_which_is_reported(tmp_path):
    lines = "".join(f"<LineString><coordinates>{x},1 {x + 1},2</coordinates></LineString>" for x in range(3))
    s, report = _open(tmp_path, f"<Placemark><name>M</name><MultiGeometry>{lines}"
                                f"<Point><coordinates/></Point></MultiGeometry></Placemark>")
    assert [f.geometry["type"] for f in s.features] == ["LineString"] * 3
    assert report.left_out_count == 1 and "M').Point" in "\n".join(report.lines())


def test_a_multigeometry_of_empty_parts_only_is_left_out_as_before(tmp_path):
    s, report = _open(tmp_path, "<Placemark><name>E</name><MultiGeometry><Point><coordinates/></Point>"
                                "</MultiGeometry></Placemark><Placemark><name>P</name><Point><coordinates>1,2"
                                "</coordinates></Point></Placemark>")
    assert [f.name for f in s.features] == ["P"] and report.left_out_count == 1


def test_multipolygon_multilinestring_and_multipoint_elements_are_read_as_multigeometries(tmp_path):
    ring = "<Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon>"
    s, report = _open(tmp_path,
                      f"<Placemark><MultiPolygon>{ring}</MultiPolygon></Placemark>"
                      "<Placemark><MultiLineString><LineString><coordinates>0,0 1,1</coordinates></LineString>"
                      "</MultiLineString></Placemark>"
                      "<Placemark><MultiPoint><Point><coordinates>2,2</coordinates></Point><Point><coordinates>3,3"
                      "</coordinates></Point></MultiPoint></Placemark>")
    assert [f.geometry["type"] for f in s.features] == ["Polygon", "LineString", "Point", "Point"]
    assert report.left_out_count == 0


def test_a_balloon_with_an_image_inline_keeps_its_placemark_and_its_text(tmp_path):
    image = "data:image/png;base64," + "A" * 40_000
    s, report = _open(tmp_path, f"<Placemark><name>Office</name><description><![CDATA[<p>Open 9-5</p>"
                                f"<img src=\"{image}\">]]></description><Point><coordinates>1,2</coordinates>"
                                "</Point></Placemark>")
    assert [f.name for f in s.features] == ["Office"] and s.features[0].properties["notes"] == "Open 9-5"


def test_a_fourth_value_in_a_coordinate_is_not_kept(tmp_path):
    s, report = _open(tmp_path, "<Placemark><Point><coordinates>-122.08,37.42,0,20</coordinates></Point></Placemark>")
    assert s.features[0].geometry["coordinates"] == [-122.08, 37.42] and report.left_out_count == 0


def test_a_tours_updates_to_its_placemark_are_not_more_placemarks(tmp_path):
    # (Google's touring samples: one placemark, moved and made while the tour plays by
    # gx:AnimatedUpdate's Change and Create, which opened as 218 places)
    steps = "".join(f"""<gx:AnimatedUpdate><gx:duration>0.1</gx:duration><Update>
      <targetHref/><Change><Placemark targetId="mover"><Point><coordinates>{118 + k / 10},33.4</coordinates></Point>
      </Placemark></Change></Update></gx:AnimatedUpdate>""" for k in range(3))
    made = """<gx:AnimatedUpdate><Update><targetHref/><Create><Folder targetId="f"><Placemark>
      <name>made later</name><Point><coordinates>120,34</coordinates></Point></Placemark></Folder></Create>
      </Update></gx:AnimatedUpdate>"""
    tour = f"""<gx:Tour xmlns:gx="http://www.google.com/kml/ext/2.2"><name>Tour</name><gx:Playlist>{steps}{made}
      </gx:Playlist></gx:Tour>"""
    scenario, report = _open(tmp_path, '<Folder id="f"><Placemark id="mover"><name>Boat</name>'
                                       '<Point><coordinates>118,33.4</coordinates></Point></Placemark></Folder>' + tour)
    assert [(f.name, f.geometry["coordinates"]) for f in scenario.features] == [("Boat", [118.0, 33.4])]
    assert report.left_out_count == 1 and "1 × tours (a camera's flight, played in Google Earth): <Tour>" in str(report)


def test_a_document_of_only_a_tour_or_another_document_s_changes_says_so(tmp_path):
    # (Google's kml-samples: a tour alone, a NetworkLinkControl's Update; before: an empty map, unsaid)
    tour = ('<gx:Tour xmlns:gx="http://www.google.com/kml/ext/2.2"><name>Play me</name><gx:Playlist><gx:Wait>'
            '<gx:duration>2</gx:duration></gx:Wait></gx:Playlist></gx:Tour>')
    with pytest.raises(ScenarioError, match=r"nothing SitMap can show.*tours"):
        _open(tmp_path, tour)
    update = ('<NetworkLinkControl><Update><targetHref>http://example.org/a.kml</targetHref><Create>'
              '<Document targetId="d"><Placemark><name>Elsewhere</name><Point><coordinates>1,2</coordinates></Point>'
              '</Placemark></Document></Create></Update></NetworkLinkControl>')
    raw = f'<kml xmlns="http://www.opengis.net/kml/2.2">{update}</kml>'
    (tmp_path / "update.kml").write_text(raw, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"changes to another document"):
        open_map_file(tmp_path / "update.kml")
    (tmp_path / "styles.kml").write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Style id="s"/>'
                                         '</Document></kml>', encoding="utf-8")
    empty, report = open_map_file(tmp_path / "styles.kml")  # (nothing in it at all: an empty map)
    assert not empty.features and str(report) == "styles.kml: opened 0 feature(s)."


def test_a_document_google_earth_named_after_its_file_is_titled_without_the_suffix():
    from viewer.model.io.open_any import open_map_bytes

    kml = ("<kml xmlns='http://www.opengis.net/kml/2.2'><Document><name>Analyst notes.kml</name>"
           "<Placemark><name>A</name><Point><coordinates>125,39</coordinates></Point></Placemark></Document></kml>")
    s, _ = open_map_bytes(kml.encode(), "whatever.kml")
    assert s.title == "Analyst notes"
    s, _ = open_map_bytes(kml.replace("Analyst notes.kml", "Notes on Sinuiju.KMZ").encode(), "x.kml")
    assert s.title == "Notes on Sinuiju"
    s, _ = open_map_bytes(kml.replace("Analyst notes.kml", "Kml").encode(), "x.kml")
    assert s.title == "Kml"


def test_a_document_followed_by_junk_opens_and_says_what_was_not_read(tmp_path):
    """Files joined together, or a tool that wrote more after the document (GDAL's autotest has
    such a file): the document opens, and the report says where what was not read began."""
    p = tmp_path / "joined.kml"
    p.write_text(KML.format("<Placemark><name>Kept</name><Point><coordinates>2,49</coordinates></Point></Placemark>")
                 + "\n<kml><Document><Placemark><name>after", encoding="utf-8")
    s, report = open_map_file(p)
    assert [f.name for f in s.features] == ["Kept"]
    assert any("line 3" in n and "not read" in n for n in report.notes), report.notes


def test_a_document_cut_short_is_still_refused_with_where(tmp_path):
    import pytest

    from viewer.model.scenario import ScenarioError

    p = tmp_path / "cut.kml"
    p.write_text(KML.format("<Placemark><name>Cut</name><Point><coordinates>2,49</coord"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="not well-formed XML"):
        open_map_file(p)


def test_importing_a_document_followed_by_junk_is_refused_as_before(tmp_path):
    """Importing into a map is strict: the file is refused, the map untouched."""
    import pytest

    from viewer.model.io.kml import read_kml
    from viewer.model.scenario import ScenarioError

    data = (KML.format("<Placemark><Point><coordinates>2,49</coordinates></Point></Placemark>") + "<x/>").encode()
    with pytest.raises(ScenarioError, match="junk after document element"):
        read_kml(data, "joined.kml")


def test_a_placemark_with_geometries_side_by_side_opens_with_those_that_place_it():
    # (Location History: an empty Point beside a gx:Track; other tools: a Point beside a LineString.
    # Before, only the first was read: the empty Point, and the placemark was left out)
    from viewer.model.io.open_any import open_map_bytes

    kml = (b'<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>'
           b'<Placemark><name>Drive</name><Point><coordinates/></Point><gx:Track>'
           b'<gx:coord>100.55 13.79 0</gx:coord><gx:coord>100.56 13.80 0</gx:coord></gx:Track></Placemark>'
           b'<Placemark><name>Stay</name><Point><coordinates/></Point><gx:Track>'
           b'<gx:coord>100.53 13.74 0</gx:coord></gx:Track></Placemark>'
           b'<Placemark><name>Both</name><Point><coordinates>1,2</coordinates></Point>'
           b'<LineString><coordinates>3,4 5,6</coordinates></LineString></Placemark>'
           b'<Placemark><name>Nowhere</name><Point><coordinates/></Point><gx:Track/></Placemark>'
           b'</Document></kml>')
    scenario, report = open_map_bytes(kml, "history.kml")
    got = [(f.name, f.geometry["type"], f.geometry["coordinates"]) for f in scenario.features]
    assert got == [("Drive", "LineString", [[100.55, 13.79], [100.56, 13.8]]),
                   ("Stay", "Point", [100.53, 13.74]),
                   ("Both", "Point", [1.0, 2.0]), ("Both", "LineString", [[3.0, 4.0], [5.0, 6.0]])]
    assert report.counts == {"empty geometries": 1} and "Nowhere" in str(report)


def test_coordinates_run_together_with_commas_are_read_in_threes_as_google_earth_reads_them():
    # (libkml's badcoords.kml, "malformed KML found in the wild": before, the line was refused)
    from viewer.model.io.open_any import open_map_bytes

    kml = (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>B</name><LineString><coordinates>'
           b'-55.8097,-60.700099,0,-55.0666,-60.7630997,0,-54.308998,-60.9776,0</coordinates></LineString>'
           b'</Placemark></kml>')
    scenario, report = open_map_bytes(kml, "badcoords.kml")
    assert scenario.features[0].geometry["coordinates"] == [[-55.8097, -60.700099], [-55.0666, -60.7630997],
                                                            [-54.308998, -60.9776]]
    assert not report.anything_to_say


def test_placemarks_named_by_a_kml_2_1_schema_open_with_their_fields():
    # (Google Earth Pro 5.1 wrote a shapefile so: libkml's old_schema_example.kml; before, an empty
    # map with nothing said)
    from viewer.model.io.open_any import open_map_bytes

    kml = (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
           b'<Schema parent="Placemark" name="S_521_525_SSSSS"><SimpleField type="string" name="Foo"></SimpleField>'
           b'</Schema><Schema parent="Placemark" name="Point"></Schema>'
           b'<Placemark><name>plain</name><Point><coordinates>1,2</coordinates></Point></Placemark>'
           b'<S_521_525_SSSSS><name>1</name><Foo>foo 1</Foo><Point><coordinates>-122,37</coordinates></Point>'
           b'</S_521_525_SSSSS><S_521_525_SSSSS><name>2</name><Foo>foo 2</Foo></S_521_525_SSSSS>'
           b'</Document></kml>')
    scenario, report = open_map_bytes(kml, "old_schema.kml")
    assert [(f.name, f.geometry["coordinates"], f.properties.get("Foo")) for f in scenario.features] == [
        ("plain", [1.0, 2.0], None), ("1", [-122.0, 37.0], "foo 1")]
    assert report.counts == {"placemarks or features without coordinates": 1} and "name '2'" in str(report)
