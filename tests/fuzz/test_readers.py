"""Hostile files against every reader: zero tracebacks, zero hangs, only ScenarioError.

1. The corpus (tests/data/broken, made by tools/make_broken_corpus.py) plus the huge files made
   here (a sparse file of hundreds of MB, one just over 64 MB, a 10 MB CSV cell): every file goes
   through load_scenario (.geojson) and exchange.import_annotations (all), each case in a worker
   process bounded in time (SIGALRM there, a timeout here) and memory.
2. Hypothesis: structured mutations of the built-in scenario (any JSON value replaced by another
   type, an extreme number, long text, deep nesting; members deleted; list items duplicated) and
   byte-level mutations of every format for every reader.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.worker import LIMIT_S, CaseTimeout, limit_memory, run_case, saveable, time_limit
from viewer import resources
from viewer.model import exchange
from viewer.model.project import project_bytes
from viewer.model.scenario import MAX_FILE_BYTES, ScenarioError, load_scenario, parse_scenario_bytes

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "broken"
MANIFEST = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
BUILT_IN = resources.default_scenario()


def one_line_naming(message: str, name: str) -> bool:
    return message.startswith(name) and "\n" not in message and "\r" not in message


# --------------------------------------------------------------------------- the corpus

def huge_files(folder: Path) -> list[dict]:
    """Made at test time, never committed."""
    sparse = folder / "hundreds-of-mb.geojson"
    with open(sparse, "wb") as f:
        f.truncate(300 * 2**20)  # sparse: 300 MB that take no disk
    over = folder / "just-over-64mb.kml"
    with open(over, "wb") as f:
        f.write(b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>')
        f.seek(MAX_FILE_BYTES)
        f.write(b"</Document></kml>")
    over_csv = folder / "just-over-64mb.csv"
    with open(over_csv, "wb") as f:
        f.write(b"lat,lon\n")
        f.seek(MAX_FILE_BYTES + 1)
        f.write(b"\n")
    cell = folder / "ten-mb-cell.csv"
    cell.write_bytes(b"lat,lon,notes\n39,125," + b"n" * 10_000_000 + b"\n")
    return [
        {"file": sparse.name, "path": str(sparse), "category": "huge", "load_scenario": "refuse", "import_annotations": "refuse"},
        {"file": over.name, "path": str(over), "category": "huge", "import_annotations": "refuse"},
        {"file": over_csv.name, "path": str(over_csv), "category": "huge", "import_annotations": "refuse"},
        {"file": cell.name, "path": str(cell), "category": "huge", "import_annotations": "refuse"},
    ]


def test_the_corpus_is_big_and_small_enough():
    assert len(MANIFEST) >= 200
    assert {e["file"] for e in MANIFEST} == {p.name for p in CORPUS.iterdir()} - {"MANIFEST.json"}
    assert {e["file"].rsplit(".", 1)[1] for e in MANIFEST} == {"geojson", "kml", "kmz", "csv"}
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 5_000_000


def test_every_corpus_file_is_refused_by_every_reader_without_traceback_or_hang(tmp_path):
    cases = [(reader, e.get("path") or str(CORPUS / e["file"]), e)
             for e in MANIFEST + huge_files(tmp_path) for reader in ("load_scenario", "import_annotations") if reader in e]
    results, hangs = [], []
    pool = multiprocessing.get_context("spawn").Pool(2, initializer=limit_memory)
    try:
        pending = [(pool.apply_async(run_case, (reader, path, LIMIT_S)), reader, e) for reader, path, e in cases]
        for job, reader, e in pending:
            try:
                # each case stops itself after LIMIT_S; this catches one stuck where SIGALRM cannot reach
                results.append((job.get(timeout=LIMIT_S + 30), e))
            except multiprocessing.TimeoutError:
                hangs.append(f"{reader} {e['file']}")
                break
    finally:
        pool.terminate()
        pool.join()

    crashes = [f"{r['reader']} {r['file']}: {r['message']}\n{r.get('traceback', '')}" for r, _ in results
               if r["status"] in ("crash", "unsaveable")]
    hangs += [f"{r['reader']} {r['file']}" for r, _ in results if r["status"] == "hang"]
    wrongly_accepted = [f"{r['reader']} {r['file']} ({e['what'] if 'what' in e else e['category']})"
                        for r, e in results if r["status"] == "accepted" and e[r["reader"]] == "refuse"]
    bad_messages = [f"{r['reader']} {r['file']}: {r['message']!r}" for r, _ in results
                    if r["status"] == "refused" and not one_line_naming(r["message"], r["file"])]
    slowest = max(results, key=lambda x: x[0]["seconds"])[0]
    summary = (f"{len({e['file'] for _, _, e in cases})} files, {len(cases)} reader runs: "
               f"{sum(r['status'] == 'refused' for r, _ in results)} refused, "
               f"{sum(r['status'] == 'accepted' for r, _ in results)} accepted where allowed, "
               f"{len(crashes)} tracebacks, {len(hangs)} hangs; slowest {slowest['seconds']} s ({slowest['file']})")
    print("\n" + summary)
    assert not crashes, "\n".join(crashes)
    assert not hangs, hangs
    assert not wrongly_accepted, wrongly_accepted
    assert not bad_messages, "\n".join(bad_messages)
    assert len(results) == len(cases)


# --------------------------------------------------------------------------- hypothesis: structure

BASE_DOC = json.loads(BUILT_IN.read_text(encoding="utf-8"))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


PATHS = list(_paths(BASE_DOC))


def _nested(depth: int):
    v: object = []
    for _ in range(depth):
        v = [v]
    return v


EXTREMES = [None, True, False, 0, -0.0, -1, 1, 2**31, 2**63, 10**30, 10**400, -(10**400), 1e308, -1e308, 5e-324,
            90.0000001, -91.0, 180.5, 20_100_000, 20_003_931.5, float("nan"), float("inf"), float("-inf"),
            "", " ", "x" * 20_001, "a\x00b", "\ud800", "\udfff tail", "line\nbreak", "\u202e\u0000", "NaN", "1e999",
            "2022-01-16T23:50:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "+99:00", "#GGGGGG",
            [], {}, [1, 2], [[1, 2]], {"type": "Point", "coordinates": [1, 2]}, _nested(70), _nested(300)]

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30) | st.sampled_from(EXTREMES),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


@st.composite
def mutated_documents(draw):
    doc = copy.deepcopy(BASE_DOC)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if path:
                if not isinstance(parent, (dict, list)):
                    continue  # an earlier mutation made it text (indexable, not changeable)
                parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed it
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "add"]))
        if not path:
            doc = draw(values) if op == "replace" else doc
        elif op == "replace":
            parent[path[-1]] = draw(values)
        elif op == "delete":
            del parent[path[-1]]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
        elif op == "add" and isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.text(max_size=10))] = draw(values)
    return doc


def dump(doc) -> bytes | None:
    try:
        return json.dumps(doc, ensure_ascii=True).encode("ascii")  # NaN -> NaN, 10**400 -> digits, \ud800 escaped
    except (ValueError, RecursionError):
        return None


@settings(max_examples=3000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_documents())
def test_structured_mutations_give_a_scenario_that_saves_and_reopens_equal_or_a_scenario_error(doc):
    raw = dump(doc)
    if raw is None:
        return
    with time_limit(LIMIT_S):
        try:
            s = parse_scenario_bytes(raw, "mutant.geojson")
        except ScenarioError as e:
            assert one_line_naming(str(e), "mutant.geojson"), str(e)
            return
        saved = project_bytes(s)  # must not raise: whatever was accepted can be saved
        again = parse_scenario_bytes(saved, "saved.geojson")
    assert again == s
    assert project_bytes(again) == saved


# --------------------------------------------------------------------------- hypothesis: bytes

def _seeds() -> dict[str, bytes]:
    s = load_scenario(BUILT_IN)
    out = {"scenario.geojson": BUILT_IN.read_bytes(), "export.kml": exchange.export_kml(s),
           "export.kmz": exchange.export_kmz(s), "export.csv": exchange.export_csv(s)}
    for p in sorted((ROOT / "tests" / "data" / "exchange").iterdir()):
        out[p.name] = p.read_bytes()
    return out


SEEDS = _seeds()
TOKENS = [b"<!DOCTYPE kml [<!ENTITY a 'b'>]>", b"<!-- <x -->", b"&#0;", b"&x;", b"NaN", b"1e999", b"-0", b"\\ud800",
          b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3\x28", b'"', b"{", b"}", b"[", b"]", b"<", b">", b",", b";",
          b"\r\n", b"'", b"=cmd", b"PK\x03\x04", b"9" * 5000, b"[" * 80, b"<a>" * 300]


@st.composite
def mutated_bytes(draw):
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "token"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at: at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.sampled_from(TOKENS))
    return name, bytes(data)


READERS = {
    "parse_scenario_bytes": lambda data, name: parse_scenario_bytes(data, name).features,
    "import_kml": exchange.import_kml,
    "import_csv": exchange.import_csv,
    "import_geojson": exchange.import_geojson,
    "import_annotations": exchange.import_annotations,
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_byte_mutations_give_a_valid_result_or_a_scenario_error(reader):
    @settings(max_examples=2000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated_bytes())
    def check(case):
        seed, data = case
        name = "fuzzed." + seed.rsplit(".", 1)[1]
        with time_limit(LIMIT_S):
            try:
                features = READERS[reader](data, name)
            except ScenarioError as e:
                assert one_line_naming(str(e), name), str(e)
                return
            assert saveable(features) is None

    check()


def test_the_time_limit_itself_works():
    with pytest.raises(CaseTimeout):
        with time_limit(0.05):
            while True:
                os.getpid()
