"""The launch history blob the page reads as typed arrays: decoded here independently (struct,
array) and checked against the model."""

from __future__ import annotations

import json
import struct
from array import array

import pytest

from viewer.model import history as h
from viewer.render.history_payload import FORMAT, history_payload

TYPES = {"f64": ("d", 8), "f32": ("f", 4), "i32": ("i", 4)}


def decode(blob: bytes) -> tuple[dict, dict]:
    (n,) = struct.unpack_from("<I", blob, 0)
    header = json.loads(blob[4:4 + n].decode("utf-8"))
    off = 4 + n
    cols = {}
    for name, kind, count in header["columns"]:
        off += -off % 8
        code, size = TYPES[kind]
        a = array(code)
        a.frombytes(blob[off:off + count * size])
        cols[name] = a
        off += count * size
    assert off == len(blob)
    return header, cols


@pytest.mark.parametrize("history", [h.load_default(), h.synthetic_history(500, seed=3)],
                         ids=["built-in", "synthetic"])
def test_blob_holds_every_launch_as_the_model_has_it(history):
    header, c = decode(history_payload(history))
    n = len(history.launches)
    assert header["format"] == FORMAT and header["ids"] == [x.id for x in history.launches]
    assert header["credit"] == history.credit
    for i, x in enumerate(history.launches):
        assert c["t"][i] == x.epoch and c["year"][i] == x.year
        assert header["systems"][c["sys"][i]][0] == x.system.key
        site = header["sites"][c["site"][i]]
        assert site[0] == x.site.key and (site[3], site[4]) == (x.site.lat, x.site.lon)
        assert header["classes"][c["cls"][i]] == x.system.cls
        assert header["outcomes"][c["out"][i]] == x.outcome
        assert c["dist"][i] == pytest.approx(x.distance_km if x.distance_km is not None else -1, abs=1e-3)
        a, b = c["trackStart"][i], c["trackStart"][i + 1]
        if x.track is None:
            assert a == b
        else:
            pts = list(x.track.display)
            assert b - a == len(pts)
            # float32 degrees: within a metre or so
            assert c["track"][2 * a] == pytest.approx(pts[0][0], abs=1e-5)
            assert c["track"][2 * b - 1] == pytest.approx(pts[-1][1], abs=1e-5)
    assert len(c["trackStart"]) == n + 1


def test_the_17_january_2022_pair_lands_380_km_out():
    from viewer.model.geodesy import distance_bearing

    history = h.load_default()
    header, c = decode(history_payload(history))
    i = header["ids"].index("dprk-20220116-1")
    site = header["sites"][c["site"][i]]
    b = c["trackStart"][i + 1]
    d, az, _ = distance_bearing(site[3], site[4], c["track"][2 * b - 2], c["track"][2 * b - 1])
    assert d == pytest.approx(380_000, abs=50) and az == pytest.approx(62, abs=0.01)


def test_hostile_text_is_data_in_the_header():
    x = h.load_default().launches[0]
    evil = h.System("evil", "</script><img src=x onerror=alert(1)>", "SRBM")
    hist = h.LaunchHistory([h.Launch("id\u2028<b>", x.date, x.time_utc, evil, x.site)], credit="\"quoted\"")
    header, _c = decode(history_payload(hist))
    assert header["systems"][0][1] == evil.name and header["ids"] == ["id\u2028<b>"]
