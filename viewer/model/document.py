"""The open map. Every change goes through here: it is checked by the same rules as the file
reader (:mod:`viewer.model.rules`), then stored, then announced to whoever listens.

A change is a plain command object (:mod:`viewer.model.edits`) that knows how to apply and
revert itself; :class:`History` keeps undo and redo for scripts, the window wraps the same
commands in Qt's undo stack. Nothing here imports Qt.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from viewer.model import style as style_mod
from viewer.model.json_read import MAX_NESTING, nests_deeper, surrogate_as_it_is
from viewer.model.rules import (
    MAX_FEATURES,
    Rules,
    ScenarioError,
    check_fact,
    check_feature,
)
from viewer.model.quick_checks import plain_place, plain_shape
from viewer.model.scenario import (
    Fact,
    Feature,
    Scenario,
    _without_coordinates,
    check_meta,
    fact_to_json,
    meta_to_json,
    model_json,
)

SOURCE = "map"  # how errors about the open map name it


@dataclass
class Change:
    """What one applied change touched, for the views to redraw only that."""

    text: str = ""
    added: list[Feature] = field(default_factory=list)  # new, or replaced (same id, new content)
    removed: list[str] = field(default_factory=list)
    facts: bool = False
    meta: bool = False
    layers: bool = False
    reset: bool = False  # a whole new map
    inserted_at: dict[str, int] = field(default_factory=dict)  # added ones put back mid-list (undone delete)


class Events:
    """A minimal signal: ``connect(callback)``; callbacks get the :class:`Change`."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[Change], None]] = []

    def connect(self, callback: Callable[[Change], None]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[[Change], None]) -> None:
        self._callbacks.remove(callback)

    def emit(self, change: Change) -> None:
        for cb in list(self._callbacks):
            cb(change)


def _json_exact(value: Any, where: str) -> Any:
    """What a file would hold: JSON values only, finite numbers, no lone surrogates."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ScenarioError(SOURCE, where, f"cannot be stored ({e})") from None
    if surrogate_as_it_is(text):  # (written as it is: one scan of the text, not a walk of the values)
        raise ScenarioError(SOURCE, where, "text holds an unpaired UTF-16 surrogate (\\uD800-\\uDFFF)")
    return json.loads(text)


class IdsInUse:
    """Ids taken: the map's (looked up, not copied: 100,000 of them) plus those added meanwhile."""

    def __init__(self, base, extra=()):
        self.base = base
        self.extra = set(extra)

    def __contains__(self, fid) -> bool:
        return fid in self.extra or fid in self.base

    def add(self, fid: str) -> None:
        self.extra.add(fid)


def validated_feature(f: Feature, taken) -> Feature:
    """``f`` as the reader would read it back, or :class:`ScenarioError`. ``taken``: ids in use."""
    out = checked_feature(f, taken)
    drawable(out)
    return out


def checked_feature(f: Feature, taken) -> Feature:
    """:func:`validated_feature` but for its drawing (:func:`drawable`): many features are checked
    one by one, then drawn together."""
    return _checked_raw(_json_exact(model_json(f), "feature"), taken)


def _checked_raw(raw: Any, taken) -> Feature:
    """A feature as the JSON a file would hold, checked (decoded for this call alone)."""
    where = "feature"
    got = plain_place(Rules(SOURCE), raw, IdsInUse(taken), owned=True)  # (the commonest, at once)
    if got is None:
        got = plain_shape(Rules(SOURCE), raw, IdsInUse(taken))  # (a plain line or area, nearly at once)
    if got is None:
        # As the reader looks at a saved feature (in its list, in the document): what it would refuse
        if nests_deeper(_without_coordinates(raw), MAX_NESTING - 2):
            raise ScenarioError(SOURCE, where, f"nesting deeper than {MAX_NESTING} levels")
        got = check_feature(Rules(SOURCE), raw, where, IdsInUse(taken))
    fid, kind, geometry, props = got
    return Feature(fid, kind, geometry, props)


def drawable(f: Feature) -> None:
    """:class:`ScenarioError` unless the feature can be drawn (its shape is kept with it; a
    checked place without an uncertainty ring is a point, always drawn: its shape is left until
    something asks for it)."""
    from viewer.model.geometry import shape_of

    if f.kind == "place" and not f.properties.get("uncertainty_m"):
        return
    try:
        shape_of(f)
    except (ValueError, ArithmeticError) as e:
        raise ScenarioError(SOURCE, "feature", f"cannot be drawn ({e})") from None


def checked_features(features: list[Feature], taken) -> list[Feature]:
    """Each feature as :func:`validated_feature` gives it (``taken`` gains their ids), the first
    problem raised: the drawing of many lines and areas worked out together, the collector
    waiting meanwhile (importing 100,000 lines and areas took half a minute)."""
    from viewer.model.bulk import collector_paused
    from viewer.model.geometry import prepare_many

    with collector_paused():
        try:  # as a file would hold them, all at once
            raws = _json_exact([model_json(f) for f in features], "feature")
        except ScenarioError:
            raws = None  # (one of them cannot be: found and named feature by feature below)
        out = []
        for i, f in enumerate(features):
            f = _checked_raw(raws[i], taken) if raws is not None else checked_feature(f, taken)
            taken.add(f.id)
            out.append(f)
        prepare_many(out)  # (a large map's shapes together, as the screen draws them)
        for f in out:
            drawable(f)
    return out


def validated_facts(facts: list[Fact], feature_ids: set[str], point_ids: Callable[[], set[str]] | None = None
                    ) -> list[Fact]:
    """The facts as stored, checked; ``point_ids()``: the ids of the map's points, where a derived
    distance is to be measured between two of them (one to a line or area could never be worked out)."""
    r = Rules(SOURCE)
    fact_ids: set[str] = set()
    out = []
    points: set[str] | None = None
    for i, fact in enumerate(facts):
        raw = _json_exact(_as_json(fact_to_json, fact, f"fact {fact.id}"), f"fact {fact.id}")
        checked = Fact(**check_fact(r, raw, f"facts[{i}]", feature_ids, fact_ids))
        if point_ids is not None and checked.derive and checked.derive.get("op") == "distance":
            points = point_ids() if points is None else points
            for key in ("from", "to"):
                if checked.derive[key] not in points:
                    r.fail(f"facts[{i}] (id {checked.id}).derive.{key}",
                           f"feature {checked.derive[key]!r} is no point: a distance is measured between two points")
        out.append(checked)
    return out


def validated_meta(s: Scenario) -> dict[str, Any]:
    return check_meta(Rules(SOURCE), _json_exact(_as_json(meta_to_json, s, "map properties"), "map properties"))


def _as_json(to_json: Callable[[Any], Any], value: Any, where: str) -> Any:
    """What a file would hold of ``value``, or ScenarioError: a value of the wrong kind (a time as
    text, a list where a mapping goes, a time without a zone) is refused in one line, not a Python
    error from the writer."""
    try:
        return to_json(value)
    except (TypeError, ValueError, AttributeError) as e:
        raise ScenarioError(SOURCE, where, f"cannot be stored ({str(e)[:120]})") from None


class Document:
    """The open map: its scenario, file path, features, facts and layer arrangement."""

    def __init__(self, scenario: Scenario | None = None, path: Path | None = None):
        self.events = Events()
        self.path: Path | None = Path(path) if path else None
        self._scenario = Scenario(title="Untitled map", features=[], facts=[])
        self._index: dict[str, Feature] | None = {}
        if scenario is not None:
            self._install(scenario)

    # ------------------------------------------------------------------ reading
    @property
    def scenario(self) -> Scenario:
        """The map as it is now. Treat it as read-only: change it through :meth:`execute`."""
        return self._scenario

    @property
    def features(self) -> list[Feature]:
        return self._scenario.features

    @property
    def facts(self) -> list[Fact]:
        return self._scenario.facts

    @property
    def _by_id(self) -> dict[str, Feature]:
        """The map's features by id, made when first asked for after a map is installed: a large
        map's start does not wait for it (100,000 features spread over memory: 40-100 ms)."""
        index = self._index
        if index is None:
            index = self._index = {f.id: f for f in self._scenario.features}
        return index

    def make_index(self) -> None:
        """The features by id, made now if they are not (a large map's window makes them while
        its page builds the map, rather than on the first click after it appears)."""
        self._by_id  # noqa: B018 (made by asking)

    def feature(self, fid: str | None) -> Feature | None:
        return self._by_id.get(fid) if fid else None

    def index_of(self, fid: str) -> int:
        for i, f in enumerate(self._scenario.features):
            if f.id == fid:
                return i
        return -1

    def facts_about(self, fids: set[str]) -> list[Fact]:
        """Facts that name one of these features, or compute from one."""
        out = []
        for fact in self._scenario.facts:
            refs = {fact.feature} if fact.feature else set()
            if fact.derive:
                refs |= {str(v) for k, v in fact.derive.items() if k != "op"}
            if refs & fids:
                out.append(fact)
        return out

    def new_id(self, prefix: str) -> str:
        n = 1
        while f"{prefix}-{n}" in self._by_id:
            n += 1
        return f"{prefix}-{n}"

    # ------------------------------------------------------------------ whole map
    def reset(self, scenario: Scenario, path: Path | None) -> None:
        """Show another map (opened or new). Not undoable: the window clears its undo stack."""
        self._install(scenario)
        self.path = Path(path) if path else None
        self.events.emit(Change(text="Open", reset=True, added=list(self._scenario.features), facts=True,
                                meta=True, layers=True))

    def _install(self, scenario: Scenario) -> None:
        features = style_mod.assign_colours(list(scenario.features))
        # (every field of the map kept: a copy of each list, so the caller's scenario is not changed with it)
        self._scenario = dataclasses.replace(
            scenario, features=features, facts=list(scenario.facts), view=dict(scenario.view),
            groups=list(scenario.groups), layers=[dict(x) for x in scenario.layers], extra=dict(scenario.extra),
            sources_list=[dict(x) for x in scenario.sources_list])
        self._index = None  # (made when first asked for: _by_id)

    # ------------------------------------------------------------------ changes
    def check(self, command) -> None:
        """Raise :class:`ScenarioError` if ``command`` would store anything the reader refuses."""
        command.check(self)

    def apply(self, command) -> Change:
        """Store an already checked command and announce it."""
        change = command.apply(self)
        self.events.emit(change)
        return change

    def revert(self, command) -> Change:
        change = command.revert(self)
        self.events.emit(change)
        return change

    def execute(self, command) -> Change:
        """Check, store, announce."""
        self.check(command)
        return self.apply(command)

    # Low-level storage, used by the commands only (after they were checked).
    def _insert(self, features: list[Feature], positions: list[int] | None = None) -> None:
        feats = self._scenario.features
        if positions is None:
            feats.extend(features)
        else:
            for i, f in sorted(zip(positions, features), key=lambda p: p[0]):
                feats.insert(i, f)
        for f in features:
            self._by_id[f.id] = f

    def _remove(self, ids: set[str]) -> list[tuple[int, Feature]]:
        feats = self._scenario.features
        if len(ids) <= 16:  # a few: looked for from the end, where the latest features are
            found = []
            for i in range(len(feats) - 1, -1, -1):
                if feats[i].id in ids:
                    found.append(i)
                    if len(found) == len(ids):
                        break
            removed = [(i, feats[i]) for i in reversed(found)]
            for i in found:
                del feats[i]
        else:
            removed = [(i, f) for i, f in enumerate(feats) if f.id in ids]
            if removed:
                feats[:] = [f for f in feats if f.id not in ids]
        for _, f in removed:
            self._by_id.pop(f.id, None)
        return removed

    def _replace(self, features: list[Feature]) -> None:
        by_id = {f.id: f for f in features}
        feats = self._scenario.features
        for i, f in enumerate(feats):
            if f.id in by_id:
                feats[i] = by_id[f.id]
        self._by_id.update(by_id)

    def _set_facts(self, facts: list[Fact]) -> None:
        self._scenario.facts = list(facts)

    def _set_meta(self, fields: dict[str, Any]) -> None:
        for k, v in fields.items():
            setattr(self._scenario, k, v)

    def _feature_room(self, adding: int) -> None:
        if len(self._scenario.features) + adding > MAX_FEATURES:
            raise ScenarioError(SOURCE, "features", f"more than {MAX_FEATURES:,} features")


class History:
    """Undo and redo for scripts (the window uses Qt's undo stack over the same commands)."""

    def __init__(self, document: Document):
        self.document = document
        self._done: list = []
        self._undone: list = []
        self._clean_at = 0

    def do(self, command) -> Change:
        change = self.document.execute(command)
        self._done.append(command)
        self._undone.clear()
        if self._clean_at > len(self._done):
            self._clean_at = -1
        return change

    def undo(self) -> Change | None:
        if not self._done:
            return None
        command = self._done.pop()
        self._undone.append(command)
        return self.document.revert(command)

    def redo(self) -> Change | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        self._done.append(command)
        return self.document.apply(command)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def set_clean(self) -> None:
        self._clean_at = len(self._done)

    @property
    def is_clean(self) -> bool:
        return self._clean_at == len(self._done)

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._clean_at = 0
