"""The recovery journal: one small line per acknowledged change, replayed through the same
commands and rules as any edit.

A record holds what a :class:`~viewer.model.document.Change` left behind, as the file would
store it: the added or replaced features as the model holds them (``model_json``), the ids
removed, where re-inserted features went back (an undone delete), and the whole facts list or
map properties when those changed. Replaying a record builds the same model commands the window
makes (:mod:`viewer.model.edits`) from that JSON with the file reader's checks, so a journal
can never put into the map anything the reader would refuse.

A line is only ever appended whole and then flushed to disk; a line cut short by a kill (no
newline at its end, or not JSON) was never acknowledged and is dropped on reading.
"""

from __future__ import annotations

import json
from typing import Any

from viewer.model.document import Change, Document
from viewer.model.rules import Rules, ScenarioError, check_fact, check_feature
from viewer.model.scenario import (
    Fact,
    Feature,
    check_meta,
    fact_to_json,
    meta_to_json,
    model_json,
)

JOURNAL_VERSION = 1


def record_of(change: Change, document: Document) -> dict[str, Any]:
    """The journal record of a change the document has just applied (cost: the changed parts only)."""
    rec: dict[str, Any] = {}
    if change.removed:
        rec["removed"] = list(change.removed)
    if change.added:
        rec["added"] = [model_json(f) for f in change.added]
        at = getattr(change, "inserted_at", None)
        if at:
            rec["at"] = {fid: int(i) for fid, i in at.items()}
    if change.facts:
        rec["facts"] = [fact_to_json(f) for f in document.facts]
    if change.meta or change.layers:
        rec["meta"] = meta_to_json(document.scenario)
    return rec


def encode(rec: dict[str, Any]) -> bytes:
    """One line of the journal (no newline inside: JSON escapes them), by orjson (the standard
    writer for what orjson cannot write: an integer beyond 64 bits a file held)."""
    import orjson

    try:
        return orjson.dumps(rec) + b"\n"
    except TypeError:
        return json.dumps(rec, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n"


def decode_lines(data: bytes, source: str) -> list[dict[str, Any]]:
    """The whole records in a journal's bytes. A last line without its newline was cut short by a
    kill before it was acknowledged: it is left out. A bad line before the end is an error."""
    lines = data.split(b"\n")
    whole, tail = lines[:-1], lines[-1]
    out = []
    for i, line in enumerate(whole):
        if not line.strip():
            continue
        try:
            rec = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ScenarioError(source, f"line {i + 1}", "not a journal record") from None
        if not isinstance(rec, dict):
            raise ScenarioError(source, f"line {i + 1}", "not a journal record")
        out.append(rec)
    del tail  # an unfinished line: never acknowledged
    return out


def replay(document: Document, rec: dict[str, Any], where: str = "journal") -> None:
    """Apply one record to ``document`` through the model's commands (checked like any edit)."""
    from viewer.model import edits

    r = Rules(where)
    if "meta" in rec:
        meta = rec["meta"]
        if not isinstance(meta, dict):
            r.fail("meta", "must be an object")
        fields = check_meta(r, meta)
        document.execute(edits.SetMeta("Replay", **fields))
    added_raw = rec.get("added", [])
    removed = rec.get("removed", [])
    at = rec.get("at", {})
    if not isinstance(added_raw, list) or not isinstance(removed, list) or not isinstance(at, dict):
        r.fail("", "added, removed and at have the wrong types")
    features = []
    seen: set[str] = set()
    for i, raw in enumerate(added_raw):
        fid, kind, geometry, props = check_feature(r, raw, f"added[{i}]", seen)
        features.append(Feature(fid, kind, geometry, props))
    replaced = [f for f in features if document.feature(f.id) is not None]
    new = [f for f in features if document.feature(f.id) is None]
    if replaced:
        document.execute(edits.ReplaceFeatures(replaced, "Replay"))
    if new:
        add = edits.AddFeatures(new, "Replay")
        document.check(add)
        checked = add.added
        placed = [f for f in checked if f.id in at]
        rest = [f for f in checked if f.id not in at]
        for fid, i in at.items():
            if isinstance(i, bool) or not isinstance(i, int) or i < 0:
                r.fail(f"at.{fid}", "must be a position")
        if placed:
            document._insert(placed, [at[f.id] for f in placed])
        if rest:
            document._insert(rest)
    if "facts" in rec:
        raw_facts = rec["facts"]
        if not isinstance(raw_facts, list):
            r.fail("facts", "must be a list")
        ids = {f.id for f in document.features}
        fact_ids: set[str] = set()
        facts = [Fact(**check_fact(r, fa, f"facts[{i}]", ids, fact_ids)) for i, fa in enumerate(raw_facts)]
        document.execute(edits.SetFacts(facts, "Replay"))
    if not all(isinstance(fid, str) for fid in removed):
        r.fail("removed", "must be a list of ids")
    added_ids = {f.id for f in features}
    gone = [fid for fid in removed if fid not in added_ids]
    if gone:
        document.execute(edits.RemoveFeatures(gone, "Replay"))


__all__ = ["JOURNAL_VERSION", "decode_lines", "encode", "record_of", "replay"]
