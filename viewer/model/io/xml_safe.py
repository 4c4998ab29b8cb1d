"""KML and KMZ bytes to an XML tree, safely: size limits, KMZ archives checked for entry count,
size and compression ratio before reading, no document type declarations or entities
(defusedxml), element nesting bounded while parsing."""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from typing import Any

from viewer.model import numeric
from viewer.model.io.common import Fail, check_size
from viewer.model.io.zip_safe import ZIP_MAX_ENTRIES, ZIP_MAX_RATIO, checked_zip, member_bytes
from viewer.model.scenario import MAX_NESTING

KMZ_MAX_ENTRIES = ZIP_MAX_ENTRIES
KMZ_MAX_RATIO = ZIP_MAX_RATIO
MAX_XML_DEPTH = 4 * MAX_NESTING  # Document / Folder ... / Placemark / MultiGeometry ... / coordinates


def kml_bytes_from_kmz(data: bytes, fail: Fail) -> bytes:
    with checked_zip(data, fail, "KMZ") as zf:
        kmls = [i for i in zf.infolist() if i.filename.lower().endswith(".kml") and not i.is_dir()]
        if not kmls:
            fail("", "KMZ archive holds no .kml document")
        return member_bytes(zf, kmz_document(kmls), fail)


def kmz_document(kmls: list) -> Any:
    """A KMZ's document, as Google Earth chooses it: doc.kml, else the first .kml at the archive's
    top (not one in a folder, which the document links), else the first .kml of all."""
    def name(i) -> str:  # (backslashes as some Windows writers store them; a leading ./ or /)
        n = i.filename.replace("\\", "/")
        while n.startswith(("./", "/")):
            n = n[2:] if n.startswith("./") else n[1:]
        return n

    top = [i for i in kmls if "/" not in name(i)]
    return next((i for i in top if name(i).lower() == "doc.kml"), top[0] if top else kmls[0])


def decode_xml(data: bytes, fail: Fail) -> str:
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif b"\x00" in data[:4]:  # (UTF-16 without a byte order mark, from "<" or blank space before it)
        enc = "utf-16-be" if data[0] == 0 else "utf-16-le"
    else:
        m = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']", data[:400])
        enc = m.group(1).decode("ascii") if m else "utf-8"
    try:
        codecs.lookup(enc)
        text = data.decode(enc)
    except LookupError:
        fail("", f"unknown text encoding {enc!r}")
    except UnicodeDecodeError as e:
        fail(f"byte {e.start}", f"not valid {enc} text")
    # drop the declaration: the text is already decoded
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


# bytes: a document this large, read from its bytes, has its depth bounded in its text first; one
# that would have numpy imported for it (0.1 s), this large (its tree's walk: about 5 ms a megabyte)
TEXT_DEPTH_FROM, TEXT_DEPTH_IMPORTING = 1 << 20, 24 << 20


def text_not_deeper(data: bytes, limit: int) -> bool:
    """Whether a well-formed XML document in UTF-8 (as :func:`_utf8_at_once` parsed it) surely nests
    its elements no more than ``limit`` deep, seen in its text: each ``<`` there begins a start tag,
    an end tag (``</``), a comment or CDATA section (``<!``) or a processing instruction (``<?``),
    for no ``<`` can stand in its text or in an attribute's value. With no ``<!`` and no ``<?`` but
    the XML declaration, the start tags up to any point less the end tags before it is at least the
    depth there (an empty element's tag, ``<a/>``, counted as a start: more, never less). 0.1 s of
    an 82 MB KML of 100,000 placemarks against 0.45 s to walk its 1.6 million elements. False where
    unsure (then walk the tree)."""
    numeric.load()
    import numpy as np

    text = np.frombuffer(data, dtype=np.uint8)
    at = np.flatnonzero(text == 60)  # <
    if not len(at) or at[-1] + 1 >= len(text):
        return False
    after = text[at + 1]
    del text
    other = np.flatnonzero((after == 33) | (after == 63))  # <! or <?
    if len(other) > 1 or (len(other) == 1 and (other[0] != 0 or not data.startswith(_XML_DECLARED))):
        return False  # (a comment, CDATA or instruction may hold any <; the declaration holds none)
    steps = np.where(after == 47, -1, 1).astype(np.int32)  # </ ends an element; any other < begins one
    if len(other):
        steps[0] = 0  # (the declaration)
    return numeric.deepest(steps) <= limit


_XML_DECLARED = (b"<?xml ", b"<?xml\t", b"<?xml\n", b"<?xml\r")  # (at the very start, as expat has it)


def _nests_deeper(root: ET.Element, limit: int) -> bool:
    """Whether the tree nests elements more than ``limit`` deep (the root is 1), level by level."""
    level, depth = [root], 1
    while level:
        if depth > limit:
            return True
        level = [c for el in level for c in el]
        depth += 1
    return False


def parse_xml(data: bytes, fail: Fail, kml: bool = True, tail: list | None = None) -> ET.Element:
    """The document's root element. ``tail`` (a list: opening, not importing): a complete document
    followed by something else (files joined, a tool that wrote more after it) is read up to its
    end, and where the rest began is added to the list; else that refuses the file."""
    check_size(data, fail)
    if data[:4] == b"PK\x03\x04":
        data = kml_bytes_from_kmz(data, fail)
    root = _utf8_at_once(data)
    shallow = False
    if root is None:
        root = _parsed_text(data, fail, tail)
    elif len(data) >= (TEXT_DEPTH_FROM if numeric.loaded() else TEXT_DEPTH_IMPORTING):
        shallow = text_not_deeper(data, MAX_XML_DEPTH)  # (a large document's depth bounded in its text)
    if not shallow and _nests_deeper(root, MAX_XML_DEPTH):
        fail("", f"XML elements nested deeper than {MAX_XML_DEPTH} levels")
    if kml and local(root.tag) not in ("kml", "Document") and not any(local(el.tag) == "Placemark" for el in root.iter()):
        fail("", f"not a KML document (the root element is <{local(root.tag)}>)")
    return root


_DECLARATION = re.compile(rb"\s*<\?xml([^>]*?)\?>")
_ENCODING = re.compile(rb"encoding\s*=\s*[\"']([^\"']*)[\"']")


def _utf8_at_once(data: bytes) -> ET.Element | None:
    """The usual file's root element, read from its bytes by ElementTree's parser (in C): UTF-8 text
    (as declared, or by default) with no document type declaration, well-formed. None for any
    other file, read as text by :func:`_parsed_text`, which says what is wrong with it (1.9 s of an
    82 MB file of 100,000 placemarks against 2.5-3.7 s, and without a decoded copy of it)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4]:
        return None  # (a byte order mark, or UTF-16 without one: NUL is no character of XML's)
    declared = _DECLARATION.match(data)
    if declared is not None:  # (the parser honours the whole declaration: nothing in it but UTF-8)
        encoding = _ENCODING.search(declared.group(1))
        if encoding is not None and encoding.group(1).lower() != b"utf-8":
            return None
    elif data.lstrip().startswith(b"<?xml"):  # (a declaration not closed where expected: read as text)
        return None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        return _fed(ET.XMLParser(), data)
    except ET.ParseError:
        return None


def _fed(parser, doc: str | bytes) -> ET.Element:
    """The root element ``parser`` makes of the document given to it a megabyte at a time."""
    for at in range(0, max(len(doc), 1), 1 << 20):
        parser.feed(doc[at: at + (1 << 20)])
    return parser.close()


def _parsed_text(data: bytes, fail: Fail, tail: list | None) -> ET.Element:
    """The root element of a file read as text, decoded as it declares (or as UTF-8): refused in
    one line where it is not well-formed, or declares entities."""
    text = decode_xml(data, fail)
    # defusedxml refuses any document type declaration (where entities would be declared) and any
    # entity; a document with neither (every KML and GPX file seen) can declare no entity, and is
    # read by ElementTree's own parser, in C (defusedxml's runs in Python: 7.6 s for 100,000
    # placemarks). Both build the tree without recursion; absurd nesting is refused once it is
    # built (its size is bounded by the file's), before anything walks it.
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    def parsed(text: str) -> ET.Element:
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        else:  # no DTD, so no entity but XML's own five: ElementTree's parser in C, ten times as fast
            parser = ET.XMLParser()
        return _fed(parser, text)

    root = None
    try:
        try:
            root = parsed(text)
        except ET.ParseError as e:
            declared = with_prefixes_declared(text) if str(e).startswith("unbound prefix") else text
            if declared == text:
                raise
            root = parsed(declared)  # (a prefix its writer forgot to declare: gx: in KML, an extension's in GPX)
    except DefusedXmlException:
        fail("", "XML with a document type declaration (<!DOCTYPE / <!ENTITY) is refused: "
                 "entities could expand without bound or read other files")
    except ET.ParseError as e:
        line, col = e.position
        root = _before_junk(text, e, tail)
        if root is None:
            fail(f"line {line}, column {col + 1}", f"not well-formed XML ({str(e).split(':')[0]})")
    except RecursionError:  # pragma: no cover
        fail("", "nesting too deep")
    if root is None:  # pragma: no cover - close() refuses a document without an element
        fail("", "no XML element")
    return root


_PREFIX_USED = re.compile(r"<\/?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_PREFIX_DECLARED = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_START = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->)*<[A-Za-z_][\w.:-]*", re.S)


def with_prefixes_declared(text: str) -> str:
    """The document with each namespace prefix it uses but never declares declared on its root
    element (a namespace of its own: the elements keep their local names), as Google Earth and
    GDAL read such files; the text itself where there is none or no root element to put them on."""
    used = {a or b for a, b in _PREFIX_USED.findall(text)} - {"xml", "xmlns"}
    missing = sorted(used - set(_PREFIX_DECLARED.findall(text)))
    start = _ROOT_START.match(text)
    if not missing or start is None:
        return text
    names = "".join(f' xmlns:{p}="urn:sitmap:undeclared:{p}"' for p in missing)
    return text[:start.end()] + names + text[start.end():]


def _before_junk(text: str, error: ET.ParseError, tail: list | None) -> ET.Element | None:
    """The document before the junk ``error`` found after it (``tail`` is told where it began), or
    None where there is none to read so (another error, or the caller refuses any)."""
    if tail is None or not str(error).startswith("junk after document element"):
        return None
    line, col = error.position
    raw = text.encode("utf-8")
    end = sum(len(x) + 1 for x in raw.split(b"\n")[: line - 1]) + col  # (expat counts a line's bytes)
    try:
        parser = ET.XMLParser()
        parser.feed(raw[:end].decode("utf-8"))
        element = parser.close()
    except (ET.ParseError, UnicodeDecodeError):
        return None
    tail.append(f"line {line}, column {col + 1}")
    return element


def local(tag: Any) -> str:
    """An element's name without its namespace (``{http://www.opengis.net/kml/2.2}Placemark`` ->
    ``Placemark``). A document has a few dozen names between its elements, asked for millions of
    times in a large one: each is worked out once (up to a few thousand kept)."""
    name = LOCAL_NAMES.get(tag) if type(tag) is str else None
    if name is None:
        if not isinstance(tag, str):
            return ""
        name = tag.rsplit("}", 1)[-1]
        if len(LOCAL_NAMES) < 4096:
            LOCAL_NAMES[tag] = name
    return name


LOCAL_NAMES: dict[str, str] = {}


def child(el: ET.Element, name: str) -> ET.Element | None:
    names = LOCAL_NAMES
    for c in el:
        if (names.get(c.tag) or local(c.tag)) == name:
            return c
    return None


def children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    if not len(el):  # (most elements: their own text, none within)
        return el.text or ""
    return "".join(el.itertext())
