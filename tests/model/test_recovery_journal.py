"""The recovery journal: every acknowledged change is a line on disk; the base plus the journal
replays, through the reader's rules and the model's commands, to exactly the map that was open."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.model.test_document import _attempt, builtin, step
from viewer.model import edits
from viewer.model.document import History
from viewer.model.journal import decode_lines
from viewer.model.project import Recovery
from viewer.model.scenario import Feature, ScenarioError


def journaled(folder, doc, background_from=Recovery.BACKGROUND_FROM):
    recovery = Recovery(folder)
    recovery.BACKGROUND_FROM = background_from
    recovery.begin(doc.scenario)
    doc.events.connect(lambda change: recovery.record(change, doc, None))
    return recovery


def marker(fid, lon=127.0, lat=37.5):
    return Feature(fid, "place", {"type": "Point", "coordinates": [lon, lat]}, {"name": fid, "annotation": True})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=12), st.booleans())
def test_after_every_random_edit_the_journal_replays_to_the_open_map(tmp_path_factory, steps, background):
    folder = tmp_path_factory.mktemp("rec")
    doc = builtin()
    h = History(doc)
    recovery = journaled(folder, doc, 0 if background else 10**9)
    for s in steps:
        before = len(list(folder.glob("journal-*.jsonl")))
        _attempt(h, doc, s)
        assert before <= 1
        if recovery.pending():
            again, _ = Recovery(folder).load()
            assert again == doc.scenario


def test_an_undone_delete_comes_back_at_its_place_in_the_map_order(tmp_path):
    doc = builtin()
    h = History(doc)
    journaled(tmp_path, doc)
    h.do(edits.AddFeatures([marker("a"), marker("b", 128), marker("c", 129)]))
    h.do(edits.RemoveFeatures(["b", "launch-point"] if not doc.facts_about({"launch-point"}) else ["b"]))
    h.undo()
    again, _ = Recovery(tmp_path).load()
    assert [f.id for f in again.features] == [f.id for f in doc.features]
    assert again == doc.scenario


def test_a_line_cut_short_by_a_kill_is_left_out_and_the_rest_replays(tmp_path):
    doc = builtin()
    h = History(doc)
    journaled(tmp_path, doc)
    h.do(edits.AddFeatures([marker("a")]))
    h.do(edits.AddFeatures([marker("b")]))
    kept = Recovery(tmp_path).load()[0]
    info = json.loads((tmp_path / "recovery.json").read_text())
    with open(tmp_path / info["journal"], "ab") as f:  # a third change, killed mid-write
        f.write(b'{"added":[{"type":"Feature","id":"c","geom')
    assert Recovery(tmp_path).load()[0] == kept == doc.scenario


def test_a_journal_line_the_reader_would_refuse_is_refused_on_restore(tmp_path):
    doc = builtin()
    h = History(doc)
    journaled(tmp_path, doc)
    h.do(edits.AddFeatures([marker("a")]))
    info = json.loads((tmp_path / "recovery.json").read_text())
    bad = {"added": [{"type": "Feature", "id": "z", "geometry": {"type": "Point", "coordinates": [500, 1]},
                      "properties": {"kind": "place"}}]}
    with open(tmp_path / info["journal"], "ab") as f:
        f.write(json.dumps(bad).encode() + b"\n")
    with pytest.raises(ScenarioError):
        Recovery(tmp_path).load()
    (tmp_path / info["journal"]).write_bytes(b'{"removed":["no-such"]}\n')
    with pytest.raises(ScenarioError, match="no such feature"):
        Recovery(tmp_path).load()


def test_the_journal_is_compacted_into_a_new_base_and_nothing_is_lost(tmp_path):
    doc = builtin()
    h = History(doc)
    recovery = journaled(tmp_path, doc, background_from=0)
    recovery.COMPACT_MIN_BYTES = 0
    recovery.COMPACT_RATIO = 0.05  # a few changes start a compaction
    bases = set()
    for i in range(60):
        h.do(edits.AddFeatures([marker(f"m{i}", 120 + i * 0.1, 35 + i * 0.05)]))
        if i % 7 == 3:
            h.undo()
            h.redo()
        info = json.loads((tmp_path / "recovery.json").read_text())
        bases.add(info["base"])
        assert Recovery(tmp_path).load()[0] == doc.scenario
    assert len(bases) >= 2  # the base was replaced at least once
    info = json.loads((tmp_path / "recovery.json").read_text())
    assert len(decode_lines((tmp_path / info["journal"]).read_bytes(), "j")) < 60
    left = {p.name for p in tmp_path.iterdir()} - {"recovery.json", info["base"], info["journal"]}
    in_flight = {name.lstrip(".").split(".geojson")[0] for name in left}  # a compaction's base, or its temp file
    assert all(name.startswith("base-") for name in in_flight) and len(in_flight) <= 1


def test_a_save_starts_the_journal_again_and_a_clean_exit_leaves_nothing(tmp_path):
    doc = builtin()
    h = History(doc)
    recovery = journaled(tmp_path, doc)
    h.do(edits.AddFeatures([marker("a")]))
    assert recovery.pending()
    recovery.clear(doc.scenario)  # saved
    assert not recovery.pending()
    h.do(edits.AddFeatures([marker("b")]))
    assert Recovery(tmp_path).load()[0] == doc.scenario
    recovery.clear()
    assert not recovery.pending() and not list(tmp_path.iterdir())


def test_a_base_left_for_later_is_written_when_started_or_by_the_first_change(tmp_path):
    """The window starts a large map's base once the map is on screen (so the thread does not
    share the interpreter with the drawing); a change that comes first writes it itself."""
    for start_first in (True, False):
        folder = tmp_path / str(start_first)
        doc = builtin()
        h = History(doc)
        recovery = Recovery(folder)
        recovery.BACKGROUND_FROM = 0
        recovery.begin(doc.scenario, start=False)
        assert not folder.exists() or not list(folder.glob("base-*"))  # nothing written yet
        if start_first:
            recovery.start_pending()
            assert recovery._pending._thread is not None
            recovery.start_pending()  # once only
        doc.events.connect(lambda change, r=recovery: r.record(change, doc, None))
        h.do(edits.AddFeatures([marker("a")]))
        assert Recovery(folder).load()[0] == doc.scenario
        recovery.start_pending()  # nothing pending: nothing happens
        assert Recovery(folder).load()[0] == doc.scenario


def test_a_small_maps_base_is_not_started_in_a_thread(tmp_path):
    recovery = Recovery(tmp_path)
    recovery.begin(builtin().scenario, start=False)
    recovery.start_pending()
    assert recovery._pending._thread is None  # written by the first change, in a moment


def test_the_base_keeps_what_its_fast_writer_cannot_write(tmp_path):
    """An integer beyond 64 bits (which a file may hold) is written by the standard writer."""
    doc = builtin()
    h = History(doc)
    journaled(tmp_path, doc, background_from=0)
    big = Feature("big", "place", {"type": "Point", "coordinates": [127.0, 37.5]},
                  {"name": "big", "annotation": True, "count": 2 ** 70, "note": "Pyongyang 평양 ✓"})
    h.do(edits.AddFeatures([big]))
    Recovery(tmp_path).write(doc.scenario, None)
    again, _ = Recovery(tmp_path).load()
    assert again == doc.scenario and again.feature("big").properties["count"] == 2 ** 70


def test_a_new_base_keeps_the_maps_sources_list_and_banner(tmp_path):
    """A base written after a save (the journal starts again from it) holds every field of the map."""
    doc = builtin()
    h = History(doc)
    recovery = journaled(tmp_path, doc, background_from=0)
    h.do(edits.SetMeta(sources_list=[{"id": "jcs", "name": "JCS"}], banner="SECRET"))
    recovery.clear(doc.scenario)  # saved: a new base
    h.do(edits.AddFeatures([marker("a")]))
    restored = Recovery(tmp_path).load()[0]
    assert restored.sources_list == [{"id": "jcs", "name": "JCS"}] and restored.banner == "SECRET"
    assert restored == doc.scenario


def test_a_journal_line_the_disk_took_only_part_of_is_not_acknowledged_and_nothing_is_lost(tmp_path, monkeypatch):
    """A full disk: os.write takes part of a line, then nothing. The change is refused (OSError);
    the journal is not appended to past the cut; the next change writes the whole map again."""
    import errno
    import os

    from viewer.model import project

    doc = builtin()
    h = History(doc)
    _recovery = journaled(tmp_path, doc)
    h.do(edits.AddFeatures([marker("first")]))
    real_write, calls = os.write, []

    def full(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data)[:40])  # the disk takes 40 bytes of the line
        if len(calls) == 2:
            return 0  # and then nothing
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(project.os, "write", full)
    with pytest.raises(OSError):
        h.do(edits.AddFeatures([marker("second")]))
    monkeypatch.setattr(project.os, "write", real_write)
    h.do(edits.AddFeatures([marker("third")]))  # room again: acknowledged
    assert Recovery(tmp_path).load()[0] == doc.scenario
    assert {"first", "second", "third"} <= {f.id for f in Recovery(tmp_path).load()[0].features}


def test_a_failed_compaction_is_followed_by_a_whole_base_not_a_journal_with_a_gap(tmp_path, monkeypatch):
    doc = builtin()
    h = History(doc)
    recovery = journaled(tmp_path, doc, background_from=0)
    recovery.COMPACT_MIN_BYTES = 0
    recovery.COMPACT_RATIO = 0.0
    h.do(edits.AddFeatures([marker("p")]))
    h.do(edits.AddFeatures([marker("q")]))  # a new base is being written beside the journal
    assert recovery._next is not None
    recovery._next.wait()
    real_meta = Recovery._write_meta
    failed = []

    def no_room(self, base, project):
        if not failed:
            failed.append(base)
            raise OSError(28, "No space left on device")
        return real_meta(self, base, project)

    monkeypatch.setattr(Recovery, "_write_meta", no_room)
    with pytest.raises(OSError):
        h.do(edits.AddFeatures([marker("r")]))  # its commit of the new base fails
    h.do(edits.AddFeatures([marker("s")]))
    restored = Recovery(tmp_path).load()[0]
    assert restored == doc.scenario and {"p", "q", "r", "s"} <= {f.id for f in restored.features}
