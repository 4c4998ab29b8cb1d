"""A sheet's own status, colour and kind columns, and its latitude and longitude under the names
other tools give them, opened as a map (before: every row left out, or no latitude found)."""

import json

import pytest

from viewer.model.io.csv_points import CSV_COLUMNS, import_csv
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import ScenarioError


def _open(tmp_path, text):
    p = tmp_path / "t.csv"
    p.write_text(text, encoding="utf-8")
    return open_map_file(p)


def test_a_sheets_own_status_colour_and_kind_stay_with_its_rows(tmp_path):
    s, report = _open(tmp_path, "Label,Status,marker-color,kind,Latitude,Longitude\n"
                                "Gate,online,red,restaurant,39.0,125.0\nPier,claimed,#00FF00,place,39.5,125.5\n")
    assert report.left_out_count == 0 and [f.name for f in s.features] == ["Gate", "Pier"]
    gate, pier = s.features
    assert (gate.properties["original_status"], gate.properties["original_color"], gate.properties["original_kind"]) == \
        ("online", "red", "restaurant")
    assert gate.kind == "place" and gate.status == "reported"
    assert pier.status == "claimed" and pier.properties["style"]["color"].upper() == "#00FF00"


def test_an_import_into_a_map_is_as_strict_as_before():
    with pytest.raises(ScenarioError, match="colour 'red'"):
        import_csv(b"name,lat,lon,color\nA,39,125,red\n", "t.csv")


@pytest.mark.parametrize("lat, lon", [("latitude_deg", "longitude_deg"), ("reclat", "reclong")])
def test_latitude_and_longitude_as_other_tools_name_them(tmp_path, lat, lon):
    s, report = _open(tmp_path, f"name,{lat},{lon}\nA,39.5,125.25\n")
    assert s.features[0].geometry["coordinates"] == [125.25, 39.5]


def test_blank_lines_before_the_header_are_passed_over_and_rows_keep_their_numbers(tmp_path):
    # (once refused as "empty file")
    p = tmp_path / "blank.csv"
    p.write_bytes(b"\r\nname,lat,lon\r\nA,51.5,-0.12\r\n")
    scenario, _ = open_map_file(p)
    assert [(f.name, f.geometry["coordinates"]) for f in scenario.features] == [("A", [-0.12, 51.5])]
    p.write_bytes(b"\n \n;;\nname;lat;lon\nA;51,5;-0,12\nB;x;y\n")
    scenario, report = open_map_file(p)
    assert [f.name for f in scenario.features] == ["A"] and "row 6 (name 'B')" in str(report)
    p.write_bytes(b"\n\nname,x\n1,2\n")
    with pytest.raises(ScenarioError, match="row 3: no latitude column"):
        open_map_file(p)
    p.write_bytes(b"\n\n \n")
    with pytest.raises(ScenarioError, match="empty file"):
        open_map_file(p)


def test_a_hemisphere_in_a_column_of_its_own_places_the_point_in_it(tmp_path):
    # (GPS loggers' CSV: LATITUDE,N/S,LONGITUDE,E/W; before, Perth opened in China and the Canaries
    # in the Sahara, without a word)
    p = tmp_path / "logger.csv"
    p.write_bytes(b"INDEX,RCR,DATE,TIME,VALID,LATITUDE,N/S,LONGITUDE,E/W,HEIGHT,\n"
                  b"3656,T,2010/12/09,10:59:05,SPS,28.649061,N,17.896196,W,513.863 M,\n"
                  b"3,T,,,SPS,32.151111,S,115.835556,E,0.0 M,\n"
                  b"4,T,,,SPS,-10.5,south,20.25,west,0.0 M,\n"
                  b"5,T,,,SPS,1.0,,2.0,,0.0 M,\n"
                  b"6,T,,,SPS,1.0,Q,2.0,E,0.0 M,\n")
    scenario, report = open_map_file(p)
    assert [f.geometry["coordinates"] for f in scenario.features] == [
        [-17.896196, 28.649061], [115.835556, -32.151111], [-20.25, -10.5], [2.0, 1.0]]
    assert "hemisphere 'Q' must be N or S" in str(report)
    assert all("N/S" not in f.properties and "E/W" not in f.properties for f in scenario.features)


def test_a_csv_of_wkt_shapes_opens_with_each_row_s_shape_and_cells(tmp_path):
    # (QGIS's "Save as CSV" with its geometry as WKT, GDAL's GEOMETRY=AS_WKT, mapnik's wkt.csv;
    # before, "no latitude column")
    p = tmp_path / "layer.csv"
    p.write_bytes(b'WKT,name,pop\n'
                  b'"POINT Z (125.75 39.02 30)",Pyongyang,3000000\n'
                  b'"LINESTRING (124.39 40.11, 124.41 40.10)",Bridge,\n'
                  b'"MULTIPOLYGON (((125 38, 126 38, 126 39, 125 38)), ((127 38, 128 38, 128 39, 127 38)))",Two,\n'
                  b'"CIRCULARSTRING (0 0, 1 1, 2 0)",Arc,\n'
                  b'not a shape,Nothing,\n'
                  b',Blank,\n')
    scenario, report = open_map_file(p)
    got = [(f.properties.get("name"), f.kind, f.geometry["type"]) for f in scenario.features]
    assert got == [("Pyongyang", "place", "Point"), ("Bridge", "path", "LineString"),
                   ("Two", "area", "Polygon"), ("Two", "area", "Polygon")]
    assert scenario.features[0].geometry["coordinates"][:2] == [125.75, 39.02]  # (an altitude kept as GeoJSON keeps it)
    assert scenario.features[0].properties["pop"] == "3000000"
    text = str(report)
    assert "row 5 (name 'Arc'): curved geometries (CIRCULARSTRING) are not supported" in text
    assert "'not a shape' is not WKT" in text and "row 7" in text


def test_a_wkt_column_is_not_read_when_the_sheet_has_latitude_and_longitude(tmp_path):
    s, report = _open(tmp_path, "name,lat,lon,geometry\nGate,39.0,125.0,POINT (1 2)\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[125.0, 39.0]]


def test_a_column_named_ew_away_from_the_longitude_is_not_taken_for_its_hemisphere(tmp_path):
    s, report = _open(tmp_path, "name,lat,lon,size,EW\nGate,39.0,125.0,3,12.5\nPier,-1.0,-2.0,4,W\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[125.0, 39.0], [-2.0, -1.0]]
    assert report.left_out_count == 0
    s, report = _open(tmp_path, "name,lat,NS,lon,EW\nGate,39.0,S,125.0,W\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[-125.0, -39.0]]


def test_quoted_cells_after_padding_spaces_pipes_and_long_shapes_are_read(tmp_path):
    # (mapnik's line_wkt.csv, bug1532.csv, nypd.csv; before: the shape cut at its commas, "no
    # latitude column" for a sheet split by pipes or naming geo_latitude)
    s, report = _open(tmp_path, 'type,WKT\nline,      "LINESTRING (30 10, 10 30, 40 40)"\n'
                                'multi, "MULTILINESTRING ((10 10, 20 20),(40 40, 30 30))"\n')
    assert [f.geometry["coordinates"][0] for f in s.features] == [[30.0, 10.0], [10.0, 10.0], [40.0, 40.0]]
    assert len(s.features) == 3 and report.left_out_count == 0
    # (a sheet without such cells keeps its cells' own leading spaces, as GDAL reads them: gpsbabel's
    # gcid-input.csv, a logger's "      0.00 m")
    s, _ = _open(tmp_path, "name,lat,lon,code,distance\nA,1.0,2.0, GC1,      0.00 m\n")
    assert (s.features[0].properties["code"], s.features[0].properties["distance"]) == (" GC1", "      0.00 m")
    s, _ = _open(tmp_path, "wrap|type|wkt\nno|point|POINT(0.25 0.5)\nyes|point|POINT(1.5 2.5)\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[0.25, 0.5], [1.5, 2.5]]
    assert s.features[1].properties["wrap"] == "yes"
    s, _ = _open(tmp_path, "name|lat|lon\nGate|39.5|125.25\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[125.25, 39.5]]
    s, _ = _open(tmp_path, 'Precinct,City,geo_longitude,geo_latitude\n5th,"New York, NY",-73.5,40.5\n')
    assert [f.geometry["coordinates"] for f in s.features] == [[-73.5, 40.5]]
    ring = ", ".join(f"{125 + k / 10000:.4f} {39 + (k % 2) / 1000:.3f}" for k in range(3000))  # (a 60 KB outline)
    s, report = _open(tmp_path, f'wkt|label\n"LINESTRING ({ring})"|Border\n')
    assert len(s.features) == 1 and s.features[0].properties["label"] == "Border"


def test_a_column_of_geojson_geometries_opens_as_a_wkt_column_does(tmp_path):
    # (CouchDB's export, mapnik's geojson_double_quote_escape.csv; before: "no latitude column")
    s, report = _open(tmp_path, 'type,GeoJSON\n'
                                'point,  "{\\"type\\":\\"Point\\",\\"coordinates\\":[30.0,10.0]}"\n'
                                'line,"{""type"":""LineString"",""coordinates"":[[30.0,10.0],[30.5,10.5]]}"\n'
                                'bad,"{""type"": 5}"\n')
    assert [(f.geometry["type"], f.properties["type"]) for f in s.features] == [("Point", "point"), ("LineString", "line")]
    assert s.features[0].geometry["coordinates"] == [30.0, 10.0]
    assert "row 4" in str(report) and "is not a GeoJSON geometry" in str(report)
    # (a backslash elsewhere is kept: a folder's path, also one ending before a closing quote)
    s, _ = _open(tmp_path, 'name,lat,lon,notes\nDepot,39.0,125.0,C:\\maps\\depot\nDock,39.5,125.5,"in D:\\scans\\"\n'
                           'Pier,40.0,126.0,"a ""quoted"" word"\n')
    assert [f.properties["notes"] for f in s.features] == ["C:\\maps\\depot", "in D:\\scans\\", 'a "quoted" word']


def test_a_sheet_in_the_windows_code_page_opens_with_its_accents_and_says_so(tmp_path):
    # (Excel's "CSV" on Windows; plotly's volcano_db.csv; before: refused as not UTF-8)
    p = tmp_path / "volcanoes.csv"
    p.write_bytes("name,lat,lon\nCayutué-La Viguería,-41.25,-72.27\nPiton € Fournaise,-21.23,55.71\n".encode("cp1252"))
    scenario, report = open_map_file(p)
    assert [f.name for f in scenario.features] == ["Cayutué-La Viguería", "Piton € Fournaise"]
    assert "read as Windows-1252" in str(report)
    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        import_csv(p.read_bytes(), "volcanoes.csv")  # (an import into a map is as strict as before)
    p.write_bytes(b"\xff\xfen\x00a\x00m\x00\x00\xd8")  # (UTF-16 that does not decode: refused as such)
    with pytest.raises(ScenarioError, match="UTF-16"):
        open_map_file(p)


def test_latitude_and_longitude_named_with_more_words_are_found_where_only_one_column_could_be_each(tmp_path):
    # (plotly's carshare.csv: centroid_lat, centroid_lon; before: "no latitude column")
    s, report = _open(tmp_path, "centroid_lat,centroid_lon,car_hours\n45.47,-73.59,1772.7\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[-73.59, 45.47]]
    s, _ = _open(tmp_path, "Site,Latitude of site,Long\nA,10.5,20.25\n")
    assert [f.geometry["coordinates"] for f in s.features] == [[20.25, 10.5]]
    # (two columns that could each be the latitude: none is guessed)
    with pytest.raises(ScenarioError, match="no latitude column"):
        _open(tmp_path, "start_lat,end_lat,start_lon\n1,2,3\n")
    with pytest.raises(ScenarioError, match="no longitude column"):
        _open(tmp_path, "lat_start,flat,value\n1,2,3\n")  # ("flat" holds no word for longitude)


def test_a_csv_export_keeps_the_points_other_fields_as_columns(tmp_path):
    # (vega's airports.csv opened and exported as CSV; before: only SitMap's ten columns, every other
    # field dropped unsaid)
    from viewer.model.io.csv_points import export_csv

    p = tmp_path / "airports.csv"
    p.write_text("iata,name,city,latitude,longitude,N/S,=cmd,title2\n"
                 "00M,Thigpen,Bay Springs,31.95,-89.23,N,x,a\n"
                 "00R,Livingston,,30.68,-95.01,N,y,b\n", encoding="utf-8")
    scenario, _ = open_map_file(p)
    text = export_csv(scenario).decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:12] == list(CSV_COLUMNS) and header[12:] == ["iata", "city", "'=cmd", "title2"]
    (tmp_path / "again.csv").write_text(text, encoding="utf-8")
    again, _ = open_map_file(tmp_path / "again.csv")
    assert [{k: f.properties.get(k) for k in ("iata", "city", "title2")} for f in again.features] == [
        {"iata": "00M", "city": "Bay Springs", "title2": "a"}, {"iata": "00R", "city": None, "title2": "b"}]
    assert [f.name for f in again.features] == ["Thigpen", "Livingston"]
    # (fields named as the reader names its own columns: SitMap's, written first, are taken as
    # those; the fields come back as fields. Train stations' "station", sf's "Id", USGS's "place")
    (tmp_path / "stations.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-71.0, 42.4]},
         "properties": {"station": "RIVER WORKS", "Id": 7, "place": "Lynn", "description": "Stop", "STATUS": "open"}}]}),
        encoding="utf-8")
    stations, _ = open_map_file(tmp_path / "stations.geojson")
    (tmp_path / "stations.csv").write_bytes(export_csv(stations))
    back, _ = open_map_file(tmp_path / "stations.csv")
    [f] = back.features
    assert {k: f.properties.get(k) for k in ("station", "Id", "place", "description", "STATUS")} == \
        {"station": "RIVER WORKS", "Id": "7", "place": "Lynn", "description": "Stop", "STATUS": "open"}
    assert (f.id, f.name, f.status) == (stations.features[0].id, stations.features[0].name, stations.features[0].status)


def test_what_a_csv_leaves_out_names_the_points_layers():
    # (kml-samples' catalina-points.kml: 213 points in folders; the CSV export said nothing of them)
    from viewer.model.io.csv_points import not_in_csv
    from viewer.model.scenario import Feature, Scenario

    def point(i, layer=None):
        return Feature(id=f"p{i}", kind="place", geometry={"type": "Point", "coordinates": [125.0, 39.0]},
                       properties={"name": f"P{i}", "source": "Analyst", "status": "reported",
                                   **({"layer": layer} if layer else {})})

    layers = [{"id": "layer-1-harbour", "label": "Harbour"}]
    assert not_in_csv(Scenario(title="t", facts=[], features=[point(1)])) == ""
    said = not_in_csv(Scenario(title="t", facts=[], features=[point(1, "layer-1-harbour"), point(2)], layers=layers))
    assert said == "a CSV holds points only: the layers of 1 point(s) are not in it (GeoJSON, KML and GeoPackage keep them)"


def test_a_csv_keeps_a_points_role_and_uncertainty_and_says_what_it_leaves_out(tmp_path):
    # (a launch site's role and uncertainty ring were lost from its CSV row)
    from viewer import api
    from viewer.model.io.csv_points import not_in_csv

    m = api.new_map("T")
    m.add_place(39.2, 125.7, "Launch site", role="launch", source="JCS", uncertainty_m=5000, name_local="평양")
    m.add_place(39.0, 125.0, "Plain", source="JCS", style={"color": "#FF0000", "opacity": 0.5})
    assert not_in_csv(m.scenario) == ("a CSV holds points only: the styles or reported ranges of 1 point(s) "
                                      "are not in it (GeoJSON, KML and GeoPackage keep them)")
    m.export(tmp_path / "t.csv")
    again = {f.properties["name"]: f.properties for f in api.open_map(tmp_path / "t.csv").features}
    assert (again["Launch site"]["role"], again["Launch site"]["uncertainty_m"]) == ("launch", 5000.0)
    assert again["Launch site"]["name_local"] == "평양"  # (a local name goes through a CSV too)
    assert "role" not in again["Plain"] and "uncertainty_m" not in again["Plain"]
    # another sheet's role column that is no SitMap role stays with the row as its own
    (tmp_path / "o.csv").write_text("lat,lon,name,role\n39,125,Crew,driver\n", encoding="utf-8")
    other = api.open_map(tmp_path / "o.csv").features[0].properties
    assert other.get("original_role") == "driver" and "role" not in other


def test_columns_of_one_name_each_keep_their_value_and_those_past_the_200th_are_said(tmp_path):
    """(Before: a second and third "value" column were dropped, and a sheet's columns past its
    200th, without a word.)"""
    s, report = _open(tmp_path, "name,lat,lon,value,value (2),value,value\nA,1,2,first,x,second,third\n")
    p = s.features[0].properties
    assert (p["value"], p["value (2)"], p["value (3)"], p["value (4)"]) == ("first", "x", "second", "third"), p
    assert not report.anything_to_say
    head = ["name", "lat", "lon"] + [f"c{i}" for i in range(300)]
    s, report = _open(tmp_path, ",".join(head) + "\n" + ",".join(["A", "1", "2"] + [str(i) for i in range(300)]) + "\n")
    p = s.features[0].properties
    assert p["c196"] == "196" and "c197" not in p
    assert report.notes == ["103 column(s) past the first 200 left out (from 'c197' on)"], report.notes


def test_a_places_radius_is_kept_as_the_sheets_own(tmp_path):
    # (a geofence list: the radius of a row that is no range ring was dropped without a word)
    s, report = _open(tmp_path, "name,lat,lon,radius_m\nFence A,47.1,8.1,500\n")
    (f,) = s.features
    assert f.kind == "place" and f.properties["original_radius_m"] == "500" and "radius_m" not in f.properties


@pytest.mark.parametrize("text", ["sep=;\r\nname;lat;lon\r\nA;47,1;8,2\r\nB;x;y\r\n", '"sep=;"\nname;lat;lon\nA;47,1;8,2\nB;x;y\n'])
def test_excels_separator_line_names_the_separator(tmp_path, text):
    # (before: refused, "no latitude column (headers: sep=, )")
    s, report = _open(tmp_path, text)
    assert [(f.name, f.latlon()) for f in s.features] == [("A", (47.1, 8.2))]
    assert "row 4" in str(report)  # (the rows keep their numbers in the file)
