"""The launch history as the page draws it, packed once per data set into one binary blob that
the page fetches through sitmap:// and reads as typed arrays: no JSON of thousands of rows to
build, send and parse, no per-launch object in the page.

Layout (little-endian): uint32 length of a UTF-8 JSON header, the header, then, each starting at a
multiple of 8 bytes, the columns the header's ``columns`` lists in order as [name, type, count]:
epoch seconds (float64), year, system, site, class and outcome indices (int32), distance in km
(float32, -1 unknown), the first track point of each launch (int32, n + 1) and the flat
[lat, lon, ...] track points (float32; a geodesic from the site, as ``Launch.track`` displays it).
Sites are in the header with their positions (launches name them by index).
"""

from __future__ import annotations

import json
import struct
from array import array
from typing import Any

from viewer.model import history as hist

FORMAT = 1


def _pad8(buf: bytearray) -> None:
    buf.extend(b"\0" * (-len(buf) % 8))


def history_payload(history: hist.LaunchHistory) -> bytes:
    """The page's blob for ``history`` (computes each launch's track the first time)."""
    launches = history.launches
    systems = sorted({x.system for x in launches}, key=lambda s: s.key)
    sites = sorted({x.site for x in launches}, key=lambda s: s.key)
    sys_i = {s: i for i, s in enumerate(systems)}
    site_i = {s: i for i, s in enumerate(sites)}
    other = hist.CLASSES.index("other")
    cls_i = {c: i for i, c in enumerate(hist.CLASSES)}
    out_i = {o: i for i, o in enumerate(hist.OUTCOMES)}
    epoch, dist = array("d"), array("f")
    year, system, site, cls, outcome = array("i"), array("i"), array("i"), array("i"), array("i")
    start, track = array("i"), array("f")
    for x in launches:
        epoch.append(x.epoch)
        year.append(x.year)
        system.append(sys_i[x.system])
        site.append(site_i[x.site])
        cls.append(cls_i.get(x.system.cls, other))
        outcome.append(out_i.get(x.outcome, out_i["unknown"]))
        dist.append(x.distance_km if x.distance_km is not None else -1.0)
        start.append(len(track) // 2)
        t = x.track
        if t is not None:
            for la, lo in t.display:
                track.append(la)
                track.append(lo)
    start.append(len(track) // 2)
    columns = [("t", epoch), ("year", year), ("sys", system), ("site", site), ("cls", cls), ("out", outcome),
               ("dist", dist), ("trackStart", start), ("track", track)]
    kinds = {"d": "f64", "f": "f32", "i": "i32"}
    header: dict[str, Any] = {
        "format": FORMAT,
        "name": history.name,
        "credit": history.credit,
        "classes": list(hist.CLASSES),
        "colours": [hist.CLASS_COLOURS[c] for c in hist.CLASSES],
        "outcomes": list(hist.OUTCOMES),
        "bands": [[lo, hi] for _l, lo, hi in hist.DISTANCE_BANDS],
        "systems": [[s.key, s.name] for s in systems],
        "sites": [[s.key, s.name, s.precision, s.lat, s.lon] for s in sites],
        "ids": [x.id for x in launches],
        "columns": [[name, kinds[a.typecode], len(a)] for name, a in columns],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buf = bytearray(struct.pack("<I", len(head)))
    buf.extend(head)
    for _name, a in columns:
        _pad8(buf)
        if array("i", [1]).tobytes()[0] != 1:  # big-endian machine: the page reads little-endian
            a.byteswap()
        buf.extend(a.tobytes())
    return bytes(buf)
