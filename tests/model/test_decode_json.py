"""Large JSON texts are decoded by orjson: the same values and the same refusals as the standard
reader, and a SitMap file opened through File > Open is decoded once, not twice."""

from __future__ import annotations

import gc
import json
import threading

import pytest

from viewer.model import bulk
from viewer.model import json_read
from viewer.model.json_read import FAST_JSON_FROM, BadConstant, decode_json
from viewer.model.scenario import ScenarioError, parse_scenario_bytes


def big(body: str) -> str:
    """``body`` inside a text past the size from which orjson decodes it."""
    pad = " " * FAST_JSON_FROM
    return '{"pad": "' + "x" * 10 + '", "body": ' + body + "}" + pad


def test_a_large_text_decodes_to_what_the_standard_reader_gives():
    value = {"features": [{"id": f"p-{i}", "c": [1.5 + i, -2.25, 0, -0.0, 1e308, 5e-324],
                           "t": "a \"quoted\" [name] \u00e9\U0001F600", "n": None, "b": [True, False]}
                          for i in range(3000)], "big": 9223372036854775807, "neg": -9223372036854775808}
    text = json.dumps(value, ensure_ascii=False) + " " * FAST_JSON_FROM
    assert decode_json(text) == json.loads(text)


def test_an_integer_beyond_64_bits_stays_exact():
    # orjson would read it as a float; the standard reader keeps the integer
    assert decode_json(big("123456789012345678901234567890"))["body"] == 123456789012345678901234567890


@pytest.mark.parametrize("body", ["NaN", "Infinity", "-Infinity", "1e999", "[1, -1E400]"])
def test_a_large_text_refuses_numbers_that_are_not_finite_as_the_standard_reader_does(body):
    with pytest.raises(BadConstant):
        decode_json(big(body))


def test_a_large_text_with_a_lone_surrogate_escape_is_decoded_for_the_reader_to_name_it():
    # orjson refuses it; the standard reader decodes it, and the scenario reader says where it is
    data = decode_json(big('"\\ud800"'))
    assert data["body"] == "\ud800"
    text = json.dumps({"type": "FeatureCollection", "features": [], "sitmap": {"title": "\ud800"}})
    with pytest.raises(ScenarioError, match="unpaired UTF-16 surrogate"):
        parse_scenario_bytes((text + " " * FAST_JSON_FROM).encode(), "x.geojson")


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\uDbFf"])
def test_a_lone_surrogate_escape_is_found_whatever_its_case(escape):
    text = '{"features": [{"properties": {"name": "a\\u00e9 ' + escape + '"}}]}'
    assert json_read.lone_surrogate(json.loads(text), text) == "features[0].properties.name"
    assert json_read.lone_surrogate(json.loads(text), text.encode()) == "features[0].properties.name"


@pytest.mark.parametrize("text", ['{"name": "caf\\u00e9 \\u2013 \\"quoted\\""}',
                                  '{"name": "a path C:\\\\ud800"}',  # an escaped backslash, then "ud800"
                                  '{"name": "x"}'])
def test_a_text_without_surrogate_escapes_is_not_walked(text):
    # what its escapes decode to cannot be a surrogate, so the values are not looked at (here
    # they hold one that could not have come from this text: it is not found)
    data = {"name": "\ud800"}
    assert json_read.lone_surrogate(data, text) is None
    assert json_read.lone_surrogate(data, text.encode()) is None
    assert json_read.lone_surrogate(data, None) == "name"  # None: always looked at


def test_past_many_escapes_a_surrogate_escape_is_still_found():
    many = "\\n" * 1500
    text = '{"a": "' + many + '", "b": "\\uDC00"}'
    assert json_read.lone_surrogate(json.loads(text), text) == "b"
    assert json_read.lone_surrogate(json.loads(text), text.encode()) == "b"
    text = '{"a": "' + many + '", "b": "\\u00e9"}'  # none: the escapes' text is looked for at once
    assert json_read.lone_surrogate({"b": "\udc00"}, text) is None


def test_a_large_text_that_is_not_json_is_refused_with_the_standard_readers_reason():
    with pytest.raises(json.JSONDecodeError) as fast:
        decode_json(big("[1, 2,]"))
    with pytest.raises(json.JSONDecodeError) as slow:
        json.loads(big("[1, 2,]"))
    assert (fast.value.msg, fast.value.pos) == (slow.value.msg, slow.value.pos)


def test_a_sitmap_file_opened_as_any_map_is_decoded_once(monkeypatch, tmp_path):
    from viewer import resources
    from viewer.model.io import open_any

    calls = []
    real = json_read.decode_json
    monkeypatch.setattr("viewer.model.io.common.decode_json", lambda t: calls.append(1) or real(t))
    monkeypatch.setattr("viewer.model.scenario.decode_json", lambda t: calls.append(1) or real(t))
    scenario, report = open_any.open_map_bytes(resources.default_scenario().read_bytes(), "seed.geojson")
    assert report.own_format and scenario.features
    assert calls == [1]


def test_the_collector_waits_for_all_bulk_work_and_then_runs_again():
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()

    def other():
        with bulk.collector_paused():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=other)
    with bulk.collector_paused():
        t.start()
        inside.wait(10)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's bulk work is still under way
    release.set()
    t.join(10)
    assert gc.isenabled()


def test_the_collector_runs_again_when_bulk_work_fails():
    with pytest.raises(ValueError):
        with bulk.collector_paused():
            raise ValueError("bad file")
    assert gc.isenabled()


def test_long_fractions_are_no_reason_to_leave_the_fast_reader():
    from viewer.model.json_read import _long_integer

    assert not _long_integer("[0.0001234567890123456789, 12345678901234567]")
    assert _long_integer("[1, -1234567890123456789]")
    assert _long_integer("1234567890123456789")
    straddling = " " * ((1 << 20) - 7) + "[1234567890123456789012]"  # across the first megabyte's end
    assert _long_integer(straddling) and _long_integer(straddling.encode())


def test_what_large_bulk_work_leaves_is_set_aside_from_the_collector():
    frozen_before = gc.get_freeze_count()
    try:
        with bulk.collector_paused():
            kept = [[i] for i in range(bulk.SET_ASIDE_FROM + 1000)]  # the "map" (lists: always tracked)
        assert gc.get_freeze_count() >= frozen_before + len(kept)  # set aside as the work ended
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_nothing_is_set_aside_when_bulk_work_fails_and_its_garbage_goes():
    import weakref

    class Node:
        pass

    frozen_before = gc.get_freeze_count()
    try:
        with pytest.raises(ValueError):
            with bulk.collector_paused():
                data = [[i] for i in range(bulk.SET_ASIDE_FROM + 1000)]  # a large read, half done
                a, b = Node(), Node()
                a.other, b.other, a.data = b, a, data  # held in a cycle (as an error's frames hold theirs)
                gone = weakref.ref(a)
                del a, b, data
                raise ValueError("bad file")
        assert gc.get_freeze_count() == frozen_before
        assert gc.isenabled()
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
