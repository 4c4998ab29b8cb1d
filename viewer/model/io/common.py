"""What every reader shares: one-line failures naming the place, ids for features that have
none, text and number checks, decoding, and the strict validation of what was read."""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass, field
from typing import Any

from viewer.model.bulk import Memo
from viewer.model.json_read import BadConstant, LongInteger, decode_json, nests_deeper, text_nests_deeper
from viewer.model.scenario import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_TEXT_CHARS,
    Feature,
    ScenarioError,
    lone_surrogate,
    parse_scenario,
)

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
# How far past +-180 and +-90 a position is the edge itself, rounded (single precision writes 180 as
# 180.0000019: TM_WORLD_BORDERS, shapefiles from many tools; Natural Earth's 1:10m time zones reach
# 90.000206); coordinates in metres are far beyond.
LONLAT_SLACK_DEG = 1e-3


class Fail:
    def __init__(self, source: str):
        self.source = source

    def __call__(self, where: str, what: str):
        raise ScenarioError(self.source, where, what)

    def left_out(self, reason: str, where: str, what: str):
        """An element SitMap cannot draw: refused when importing, left out (and said) when opening."""
        raise LeftOut(self.source, where, what, reason)


class LeftOut(ScenarioError):
    """One element of a file that cannot be shown, with the reason it is counted under."""

    def __init__(self, source: str, where: str, what: str, reason: str):
        super().__init__(source, where, what)
        self.reason = reason


@dataclass
class Reading:
    """What a reader found, before validation: GeoJSON-like feature dicts with their ids, and how
    the input names each (``Placemark 3 (name 'x')``, ``row 5``), plus the map's own fields."""

    dicts: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    title: str = ""
    layers: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # the map's facts and own fields as an exchange file carries them, unchecked (None: none)
    facts: Any = None
    fields: Any = None
    # what a feature was opened without: (reason, where), said in the report
    partly: list = field(default_factory=list)
    # the drawn shapes worked out while reading (SitMap's lines and areas, redrawn to be recognised),
    # by the feature's place in ``dicts``: kept with the features they are made into
    shapes: dict = field(default_factory=dict)


def short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def label(prefix: str, name: str | None) -> str:
    """Where a feature is, with its name (unless the place already names it: a layer's labels do)."""
    if not name:
        return prefix
    said = f" (name {short(name)!r})"
    return prefix if prefix.endswith(said) else prefix + said


def validate_all(dicts: list[dict], labels: list[str], source: str) -> list[Feature]:
    """Run the scenario validator over built features; report places in the input's own terms."""
    try:
        scenario = parse_scenario({"type": "FeatureCollection", "features": dicts}, source)
    except ScenarioError as e:
        where = e.where
        m = re.match(r"^features\[(\d+)\](?: \(id [^)]*\))?", where)
        if m and int(m.group(1)) < len(labels):
            where = labels[int(m.group(1))] + where[m.end():]
        raise ScenarioError(source, where, e.what) from None
    return scenario.features


def assign_ids(wanted: list[str | None], prefix: str = "imported") -> list[str]:
    """Keep every valid, unused id; give the others a stable ``<prefix>-<n>`` (n = 1-based position),
    so opening the same file twice gives the same ids."""
    out: list[str | None] = [None] * len(wanted)
    used: set[str] = set()
    for i, w in enumerate(wanted):
        if isinstance(w, str) and ID_RE.match(w) and w not in used:
            out[i] = w
            used.add(w)
    for i, w in enumerate(out):
        if w is None:
            cand, k = f"{prefix}-{i + 1}", 1
            while cand in used:
                k += 1
                cand = f"{prefix}-{i + 1}-{k}"
            out[i] = cand
            used.add(cand)
    return out  # type: ignore[return-value]


def give_ids(dicts: list[dict], wanted: list[str | None], prefix: str, report: Any = None) -> None:
    """Each feature's id, as :func:`assign_ids` gives them. Opening a map (``report``, an
    OpenReport): a feature whose own id SitMap cannot take (not letters, digits and _ . : -, or
    one an earlier feature has: OpenStreetMap's "way/1") keeps it as its ``original_id``, and the
    report says how many."""
    changed = 0
    for d, fid, own in zip(dicts, assign_ids(wanted, prefix), wanted):
        d["id"] = fid
        if report is not None and isinstance(own, str) and own != fid and own.strip():
            keep_aside(d["properties"], "id", own.replace("\x00", "")[:200])
            changed += 1
    if changed:
        report.note(f"{changed:,} feature(s) given new ids: their own, which SitMap cannot take (an id is "
                    "letters, digits and _ . : -, each used once), kept as original_id")


def keep_aside(out: dict[str, Any], key: str, value: Any) -> None:
    """A value of ``key`` SitMap does not take as its own, kept as ``original_<key>``; where the
    feature has one already (a map opened from another tool, saved, and opened again), that one
    stays and this one is kept beside it (``original_<key>_2``, ...) unless it is the same."""
    name, n = f"original_{key}", 1
    while name in out and out[name] != value:
        n += 1
        name = f"original_{key}_{n}"
    out[name] = value


def check_text(fail: Fail, value: str, where: str, limit: int = MAX_TEXT_CHARS) -> str:
    if len(value) > limit:
        fail(where, f"text longer than {limit:,} characters")
    if "\x00" in value:
        fail(where, "contains a NUL character")
    return value


def hex_colour(value: Any) -> str | None:
    """'#RRGGBB' from '#RRGGBB' / '#RGB' / 'RRGGBB', else None. (Each text worked out once: a
    large file gives the same few colours to each of its features.)"""
    if not isinstance(value, str):
        return None
    hit = _COLOURS.get(value, Memo.NOT_KEPT)
    if hit is not Memo.NOT_KEPT:
        return hit
    v = value.strip()
    if not v.startswith("#"):
        v = "#" + v
    if _SHORT_COLOUR_RE.fullmatch(v):
        v = "#" + "".join(c * 2 for c in v[1:])
    out = v.upper() if COLOUR_RE.match(v) else None
    if len(value) <= 40:
        _COLOURS.keep(value, out)
    return out


_SHORT_COLOUR_RE = re.compile(r"#[0-9A-Fa-f]{3}")
_COLOURS: Memo = Memo(4096)


WORDS = (str, int, float, bool)  # a value's types that are a word or a number alone (no list, no object)


def finite_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError, OverflowError):  # (OverflowError: an integer too large for a float)
        return None
    return f if math.isfinite(f) else None


def check_size(data: bytes, fail: Fail) -> None:
    if len(data) > MAX_FILE_BYTES:
        fail("", f"file is {len(data) / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")


def text_of(data: bytes, fail: Fail, *, utf16: bool = False, hint: str = "") -> str:
    """A text file's contents, size-checked and decoded (UTF-8 with or without BOM; UTF-16 with a BOM if allowed)."""
    check_size(data, fail)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if utf16 and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                return data.decode("utf-16", errors="strict")
            except UnicodeDecodeError as e16:
                fail(f"byte {e16.start}", "not valid UTF-16 text")
        fail(f"byte {e.start}", "not UTF-8 text" + hint)
    raise AssertionError("unreachable: fail() raises")



def check_nesting(doc: Any, fail: Fail, where: str) -> None:
    if nests_deeper(doc):
        fail(where, f"nesting deeper than {MAX_NESTING} levels")


# bytes: a JSON text of this size on is first looked at for its nesting in the text, not by a walk
# (up to a size whose copies while it is looked at stay well under what its decoding takes)
TEXT_NESTING_FROM, TEXT_NESTING_UNTIL = 1 << 20, 64 << 20


def check_nesting_of(doc: Any, text: bytes, fail: Fail, where: str) -> None:
    """:func:`check_nesting` of ``doc``, decoded from ``text`` as it is: a large one's text looked
    at first (:func:`~viewer.model.json_read.text_nests_deeper`, a quarter of the time; numpy is
    not imported for a small file), the decoded value walked only where the text nests too deep."""
    if TEXT_NESTING_FROM <= len(text) <= TEXT_NESTING_UNTIL and not text_nests_deeper(text):
        return
    check_nesting(doc, fail, where)


def loads_json(text: str | bytes, fail: Fail, where: str, *, nesting: bool = True) -> Any:
    """A JSON document from its text, or from a file's bytes (UTF-8, with or without BOM).
    ``nesting`` False: the caller checks the nesting limit itself (:func:`check_nesting`, or
    :func:`~viewer.model.scenario.parse_decoded` for SitMap's own document)."""
    try:
        doc = decode_json(text)
    except UnicodeDecodeError as e:
        fail(f"byte {e.start}", "not UTF-8 text")
    except LongInteger as e:
        fail(where, str(e))
    except BadConstant as e:
        fail(where, f"not valid JSON ({short(e.args[0])} is not a valid JSON number)")
    except RecursionError:
        fail(where, f"nesting deeper than {MAX_NESTING} levels")
    except ValueError as e:
        fail(where, f"not valid JSON ({short(str(e), 200)})")
    if nesting:
        check_nesting(doc, fail, where)
    at = lone_surrogate(doc, text)
    if at is not None:
        fail(f"{where}.{at}" if where else at, "text holds an unpaired UTF-16 surrogate (\\uD800-\\uDFFF)")
    return doc


# Properties that mean something to SitMap. A foreign file's value that does not fit SitMap's
# rules for one of them is kept under ``original_<key>`` so nothing is lost and the map still opens.
SITMAP_KEYS = ("kind", "status", "role", "style", "radius_m", "uncertainty_m", "reported_range_m",
               "reported_apogee_m", "name", "notes", "source", "basis", "name_local", "label", "centre",
               "vertices", "annotation", "layer", "arrow")


def round_the_world(geometry: Any) -> bool:
    """A polygon whose outer ring runs the whole way round and from pole to pole (another tool's
    world box, or the world less a hole; SitMap draws a ring of the antipodal distance so): flat in
    longitude/latitude it is the world, but edges that are geodesics along a pole and the
    antimeridian enclose nothing."""
    try:
        ring = geometry["coordinates"][0]
        lons, lats = [float(p[0]) for p in ring], [float(p[1]) for p in ring]
    except (TypeError, ValueError, IndexError, KeyError):
        return False
    return max(lons) - min(lons) >= 359.999 and min(lats) <= -89.999 and max(lats) >= 89.999


def layer_id(name: str, n: int) -> str:
    """A user layer's id: ``layer-<n>-<slug>`` (stable for the same file, never a built-in group's id)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:40]
    return f"layer-{n}" + (f"-{slug}" if slug else "")


def json_text(value: Any, limit: int | None = None) -> Any:
    """A JSON list or object written as text (a GeoPackage's or shapefile's column), decoded as a
    map file's JSON is (NaN, Infinity and 1e999 refused); else None (also for a text longer than
    ``limit`` characters, where one is given)."""
    if not isinstance(value, str) or not value.startswith(("[", "{")) or (limit is not None and len(value) > limit):
        return None
    try:
        return decode_json(value)
    except (ValueError, RecursionError):  # (RecursionError: nested deeper than the reader goes)
        return None
