"""A prefix its writer used without declaring it (gx: in hand-made KML, an extension's in GPX:
gpx.studio's with_power_2.gpx) no longer refuses the whole file as XML that is not well-formed:
the prefix is declared and the file read as Google Earth and GDAL read it."""

from __future__ import annotations

import pytest

from viewer.model.io.open_any import open_map_bytes
from viewer.model.io.xml_safe import with_prefixes_declared

GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>with_power</name><trkseg>
  <trkpt lat="45.0" lon="6.0"><extensions><gpxpx:PowerExtension><gpxpx:PowerInWatts>200</gpxpx:PowerInWatts></gpxpx:PowerExtension></extensions></trkpt>
  <trkpt lat="45.01" lon="6.01"><extensions><gpxpx:PowerExtension><gpxpx:PowerInWatts>210</gpxpx:PowerInWatts></gpxpx:PowerExtension></extensions></trkpt>
 </trkseg></trk>
</gpx>"""

KML = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- made by hand -->
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
 <Placemark><name>Gate</name><gx:balloonVisibility>1</gx:balloonVisibility><Point><coordinates>125.0,39.0</coordinates></Point></Placemark>
 <Placemark><name>Drive</name><gx:Track><when>2022-01-17T00:00:00Z</when><when>2022-01-17T00:01:00Z</when>
  <gx:coord>125.0 39.0 0</gx:coord><gx:coord>125.5 39.5 0</gx:coord></gx:Track></Placemark>
</Document></kml>"""


@pytest.mark.parametrize("data, name, expected", [(GPX, "power.gpx", ["with_power"]), (KML, "hand.kml", ["Gate", "Drive"])])
def test_a_file_using_a_prefix_it_never_declares_opens(data, name, expected):
    scenario, _ = open_map_bytes(data, name)
    assert [f.name for f in scenario.features] == expected
    if name.endswith(".kml"):
        assert scenario.features[1].geometry["coordinates"] == [[125.0, 39.0], [125.5, 39.5]]


def test_only_missing_prefixes_are_declared_and_only_on_the_root():
    text = '<?xml version="1.0"?>\n<a xmlns:x="u"><x:b/><y:c z:d="1"/><xml:e/></a>'
    out = with_prefixes_declared(text)
    assert out == ('<?xml version="1.0"?>\n<a xmlns:y="urn:sitmap:undeclared:y" xmlns:z="urn:sitmap:undeclared:z"'
                   ' xmlns:x="u"><x:b/><y:c z:d="1"/><xml:e/></a>')
    assert with_prefixes_declared('<a xmlns:x="u"><x:b/></a>') == '<a xmlns:x="u"><x:b/></a>'
