"""A KML or GPX file in UTF-8 is parsed from its bytes at once; any other (declared in another
encoding, with a byte order mark, UTF-16, with a document type declaration, not well-formed) is
read as text as before: every one opens the same placemarks, and each that cannot be read is
refused in the same words as before."""

from __future__ import annotations

import codecs

import pytest

from viewer.model.io import xml_safe
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import ScenarioError

BODY = ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Grüße</name>'
        '<Placemark><name>Sinŭiju — 新義州</name><Point><coordinates>124.4,40.1</coordinates></Point></Placemark>'
        '<Placemark><name>Dandong &amp; Yalu</name><Point><coordinates>124.39,40.12</coordinates></Point></Placemark>'
        '</Document></kml>')


def names(data: bytes) -> list[str]:
    scenario, _ = open_map_bytes(data, "x.kml")
    return [f.name for f in scenario.features]


@pytest.mark.parametrize("data, at_once", [
    (BODY.encode("utf-8"), True),
    (b'<?xml version="1.0" encoding="UTF-8"?>\n' + BODY.encode("utf-8"), True),
    (b"<?xml version='1.0' encoding='utf8'?>" + BODY.encode("utf-8"), False),  # (a name the parser does not know)
    (codecs.BOM_UTF8 + BODY.encode("utf-8"), False),
    (BODY.encode("utf-16"), False),
    (b'<?xml version="1.0" encoding="UTF-16LE"?>'.decode().encode("utf-16-le") + BODY.encode("utf-16-le"), False),
    (b'<?xml version="1.0" encoding="windows-1252"?>' + BODY.replace("Sinŭiju — 新義州", "Sinuiju")
     .encode("cp1252"), False),
])
def test_each_encoding_opens_the_same_placemarks(data, at_once, monkeypatch):
    used = []
    real = xml_safe._utf8_at_once
    monkeypatch.setattr(xml_safe, "_utf8_at_once", lambda d: used.append(real(d)) or used[-1])
    got = names(data)
    assert got[1] == "Dandong & Yalu" and len(got) == 2
    assert got[0] in ("Sinŭiju — 新義州", "Sinuiju")
    assert (used[-1] is not None) == at_once


@pytest.mark.parametrize("data, said", [
    (b"<kml><Document><Placemark><name>A\xff</name></Placemark></Document></kml>", "not valid utf-8 text"),
    (b'<?xml version="1.0" encoding="UTF-8"?><kml><Document><Placemark>', "not well-formed XML"),
    (b'<!DOCTYPE kml [<!ENTITY a "aaaa">]><kml><Document><Placemark><name>&a;</name></Placemark></Document></kml>',
     "document type declaration"),
])
def test_a_file_that_cannot_be_read_is_refused_in_the_words_it_was_before(data, said):
    with pytest.raises(ScenarioError, match=said):
        open_map_bytes(data, "bad.kml")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_opens_and_its_document_type_declaration_is_refused(codec):
    # (blank space before its first "<": the declaration was not found, and its entities expanded)
    assert names(("\n  " + BODY).encode(codec))[1] == "Dandong & Yalu"
    dtd = '\n <!DOCTYPE kml [<!ENTITY a "aaaa">]><kml><Document><Placemark><name>&a;</name></Placemark></Document></kml>'
    with pytest.raises(ScenarioError, match="document type declaration"):
        open_map_bytes(dtd.encode(codec), "bad.kml")


@pytest.mark.parametrize("declaration, name", [
    # (the parser honours the whole declaration; the text path reads UTF-8 where it finds no encoding
    # near the start: either way, a declaration that is not UTF-8's is read as the text path reads it)
    ('<?xml version="1.0"' + " " * 400 + 'encoding="ISO-8859-1"?>', "Zürich"),
    ('<?xml version="1.0" encoding="latin' + "-" * 45 + '1"?>', "Zürich"),
    ('<?xml version="1.0" encoding="UTF-8"?>', "Zürich"),
])
def test_an_encoding_declared_past_where_the_text_path_looks_is_read_as_it_reads_it(declaration, name):
    data = (declaration + '<kml><Document><Placemark><name>Zürich</name><Point><coordinates>8.5,47.4'
            '</coordinates></Point></Placemark></Document></kml>').encode("utf-8")
    assert names(data) == [name]


def test_a_document_followed_by_junk_is_still_read_up_to_its_end():
    scenario, report = open_map_bytes(BODY.encode("utf-8") + b"\n<kml>more</kml>", "joined.kml")
    assert len(scenario.features) == 2
    assert "line" in str(report)
