"""Background work leaves the window's thread the interpreter (viewer/model/courtesy.py): it
rests once it has run a while, on a background thread only; the recovery base's writer and the
places-in-range search rest as they go."""

import threading
from pathlib import Path

from viewer import resources
from viewer.model import courtesy, gazetteer
from viewer.model.project import Recovery
from viewer.model.scenario import Feature, load_scenario


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def perf_counter(self):
        self.now += 0.0004  # (each call: 0.4 ms of work since the last)
        return self.now

    def sleep(self, s):
        self.sleeps.append(s)
        self.now += s


def _on_thread(fn):
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("value", fn()))
    t.start()
    t.join()
    return out.get("value")


def test_rest_sleeps_on_a_background_thread_after_its_work_time(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(courtesy.time, "perf_counter", clock.perf_counter)
    monkeypatch.setattr(courtesy.time, "sleep", clock.sleep)

    def work():
        for _ in range(30):
            courtesy.rest()

    _on_thread(work)
    # 0.4 ms a call: a rest every third call (1.2 ms >= WORK_S), the first call only starts the count
    assert 8 <= len(clock.sleeps) <= 10 and set(clock.sleeps) == {courtesy.REST_S}


def test_rest_never_sleeps_on_the_main_thread(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(courtesy.time, "perf_counter", clock.perf_counter)
    monkeypatch.setattr(courtesy.time, "sleep", clock.sleep)
    for _ in range(100):
        courtesy.rest()
    assert clock.sleeps == []




def test_recovery_base_written_on_a_thread_rests_between_pieces(tmp_path, monkeypatch):
    import viewer.model.project as project

    calls = []
    monkeypatch.setattr(project, "rest", lambda: calls.append(threading.current_thread().name))
    s = load_scenario(resources.default_scenario())
    s.features.extend(Feature(id=f"p{i}", kind="place", geometry={"type": "Point", "coordinates": [125 + i * 1e-4, 39.0]},
                              properties={"name": f"P{i}"}) for i in range(Recovery.BACKGROUND_FROM))
    rec = Recovery(tmp_path / "rec")
    rec.begin(s)
    base = rec._pending
    base._thread.join()  # (written by itself: nobody waits for it)
    assert base.size > 0 and Path(base.path).exists()
    assert len(calls) >= Recovery.BACKGROUND_FROM // 250 and set(calls) == {"sitmap-recovery-base"}

    # A change that needs the base waits for it: the thread no longer rests.
    calls.clear()
    rec.begin(s, start=False)
    base = rec._pending
    base.hurry = True  # (as wait() says it, here before the thread starts)
    rec.start_pending()
    base.wait()
    assert base.size > 0 and calls == []


def test_places_in_range_rest_as_they_are_found(monkeypatch):
    calls = []
    monkeypatch.setattr(gazetteer, "rest", lambda: calls.append(1))
    s = load_scenario(resources.default_scenario())
    found = _on_thread(lambda: gazetteer.rings_in_range(s))
    assert found and sum(r["total"] for r in found.values()) > 0
    assert len(calls) >= sum(len(r["places"]) for r in found.values())
