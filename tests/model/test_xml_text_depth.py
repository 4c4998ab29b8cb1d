"""A large XML document's depth bounded in its text (viewer/model/io/xml_safe.py, text_not_deeper):
where it says a document nests no deeper than a limit, the parsed tree does not either, for
documents of any shape (empty elements, '>' and '/>' in text and in attribute values, namespaces,
comments, CDATA, instructions); where a document has none of those it says exactly what the tree
says. A document that does nest too deep is still refused, and one that does not still opens."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.io import xml_safe
from viewer.model.io.common import Fail
from viewer.model.io.xml_safe import MAX_XML_DEPTH, _nests_deeper, parse_xml, text_not_deeper
from viewer.model.scenario import ScenarioError

_TEXTS = st.sampled_from(["", "a", "a>b", "x/>y", "&lt;/b&gt;", "&amp;", "é", " ", "1 > 0 /> 2"])
_VALUES = st.sampled_from(["", "v", "a>b", "c/>d", "x/ >", "&lt;i&gt;", "'", "é"])


def _element(draw, depth: int, extras: bool) -> str:
    name = draw(st.sampled_from(["a", "kml:b", "Placemark", "c-d"]))
    attrs = "".join(f' k{i}="{draw(_VALUES)}"' for i in range(draw(st.integers(0, 2))))
    if depth <= 1 or draw(st.integers(0, 4)) == 0:
        if draw(st.booleans()):
            return f"<{name}{attrs}/>"
        return f"<{name}{attrs}>{draw(_TEXTS)}</{name}>"
    parts = [draw(_TEXTS)]
    for _ in range(draw(st.integers(1, 3))):
        parts.append(_element(draw, depth - 1, extras))
        if extras and draw(st.integers(0, 5)) == 0:
            parts.append(draw(st.sampled_from(["<!-- </a></a> <b> -->", "<![CDATA[</x></y><z>]]>", "<?pi </a>?>"])))
        parts.append(draw(_TEXTS))
    return f"<{name}{attrs}>{''.join(parts)}</{name}>"


@st.composite
def documents(draw, extras: bool = True):
    body = _element(draw, draw(st.integers(1, 9)), extras)
    root = f'<root xmlns:kml="http://www.opengis.net/kml/2.2">{body}</root>'
    head = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>\n', "<?xml version='1.0'?>"]))
    return (head + root).encode("utf-8")


def _depth(root: ET.Element) -> int:
    return next(limit for limit in range(1, 64) if not _nests_deeper(root, limit))


@settings(max_examples=400, deadline=None)
@given(documents(), st.integers(1, 12))
def test_what_the_text_clears_the_tree_clears(data, limit):
    root = ET.fromstring(data)
    if text_not_deeper(data, limit):
        assert not _nests_deeper(root, limit)


@settings(max_examples=300, deadline=None)
@given(documents(extras=False))
def test_without_comments_or_instructions_or_empty_elements_it_says_what_the_tree_says(data):
    root = ET.fromstring(data)
    depth = _depth(root)
    if b"/>" not in data.replace(b'"c/>d"', b"").replace(b"x/>y", b"").replace(b"0 /> 2", b""):
        assert text_not_deeper(data, depth) and not text_not_deeper(data, depth - 1)
    assert text_not_deeper(data, depth + data.count(b"/>"))


@pytest.mark.parametrize("data", [
    b"<!-- </a> --><a><b/></a>",
    b"<a><![CDATA[</x>]]><b/></a>",
    b'<?xml-stylesheet href="x"?><a/>',
    b"<a><?pi </a>?></a>",
    b'  <?xml version="1.0"?><a/>',
])
def test_what_may_hold_any_angle_bracket_leaves_the_tree_to_be_walked(data):
    assert text_not_deeper(data, 50) is False


def _nested(depth: int) -> bytes:
    inner = "<Point><coordinates>125,39</coordinates></Point>"
    doc = f"<Placemark><name>Deep</name>{inner}</Placemark>"
    for k in range(depth - 5):  # (kml, Document, the folders, Placemark, Point, coordinates)
        doc = f"<Folder><name>f{k}</name>{doc}</Folder>"
    doc = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{doc}</Document></kml>'
    pad = "<Placemark><name>p</name><Point><coordinates>1,2</coordinates></Point></Placemark>"
    return ('<?xml version="1.0" encoding="UTF-8"?>' + doc.replace("<Document>", "<Document>" + pad * 14000)).encode()


def test_a_large_document_too_deep_is_refused_and_one_within_the_limit_opens(monkeypatch):
    monkeypatch.setattr(xml_safe, "TEXT_DEPTH_IMPORTING", 1 << 20)
    walked = []
    walk = xml_safe._nests_deeper
    monkeypatch.setattr(xml_safe, "_nests_deeper", lambda root, limit: walked.append(1) or walk(root, limit))
    fine = _nested(MAX_XML_DEPTH)
    assert len(fine) > 1 << 20
    root = parse_xml(fine, Fail("fine.kml"))
    assert len(root) and walked == []  # (cleared in its text: its tree not walked)
    with pytest.raises(ScenarioError, match=f"nested deeper than {MAX_XML_DEPTH} levels"):
        parse_xml(_nested(MAX_XML_DEPTH + 1), Fail("deep.kml"))
    assert walked == [1]
