"""The changes a map can undergo, as plain commands over a :class:`~viewer.model.document.Document`.

Each command checks the state it would leave (``check``), stores it (``apply``) and puts the
old state back (``revert``); each returns a :class:`~viewer.model.document.Change`. ``check``
validates with the file reader's rules and keeps what it validated, so what is stored is
exactly what the reader would read back.
"""

from __future__ import annotations

from typing import Any

from viewer.model import style as style_mod
from viewer.model.document import (
    SOURCE,
    Change,
    Document,
    IdsInUse,
    checked_features,
    validated_facts,
    validated_feature,
    validated_meta,
)
from viewer.model.rules import ScenarioError
from viewer.model.scenario import META_FIELDS, Fact, Feature, Scenario


class Command:
    text = ""

    def check(self, doc: Document) -> None:
        raise NotImplementedError

    def apply(self, doc: Document) -> Change:
        raise NotImplementedError

    def revert(self, doc: Document) -> Change:
        raise NotImplementedError


class AddFeatures(Command):
    """Add features (a new ring without a colour gets the next free palette colour)."""

    def __init__(self, features: list[Feature], text: str = ""):
        self.features = list(features)
        self.text = text or (f"Add {self.features[0].name}" if len(self.features) == 1
                             else f"Add {len(self.features)} features")
        self._checked: list[Feature] | None = None

    def check(self, doc: Document) -> None:
        doc._feature_room(len(self.features))
        coloured: list[Feature] = []
        for f in self.features:
            if style_mod.ring_colour_wanted(f):
                f = style_mod.with_colour(f, style_mod.next_ring_colour(list(doc.features) + coloured))
            coloured.append(f)
        self._checked = checked_features(coloured, IdsInUse(doc._by_id))

    def apply(self, doc: Document) -> Change:
        if self._checked is None:
            self.check(doc)
        doc._insert(self._checked)
        return Change(self.text, added=list(self._checked))

    def revert(self, doc: Document) -> Change:
        ids = {f.id for f in self._checked}
        doc._remove(ids)
        return Change(self.text, removed=[f.id for f in self._checked])

    @property
    def added(self) -> list[Feature]:
        return list(self._checked or [])


class RemoveFeatures(Command):
    """Remove features. Refused while facts are about them (delete those facts first)."""

    def __init__(self, ids: list[str], text: str = ""):
        self.ids = list(dict.fromkeys(ids))
        self.text = text or f"Delete {len(self.ids)} feature(s)"
        self._removed: list[tuple[int, Feature]] = []

    def check(self, doc: Document) -> None:
        missing = [fid for fid in self.ids if doc.feature(fid) is None]
        if missing:
            raise ScenarioError(SOURCE, f"feature {missing[0]}", "no such feature")
        about = doc.facts_about(set(self.ids))
        if about:
            raise ScenarioError(SOURCE, f"feature {about[0].feature or self.ids[0]}",
                                f"{len(about)} fact(s) are about it (first: {about[0].label!r}); delete or re-point them first")

    def apply(self, doc: Document) -> Change:
        self._removed = doc._remove(set(self.ids))
        return Change(self.text, removed=[f.id for _, f in self._removed])

    def revert(self, doc: Document) -> Change:
        doc._insert([f for _, f in self._removed], [i for i, _ in self._removed])
        return Change(self.text, added=[f for _, f in self._removed],
                      inserted_at={f.id: i for i, f in self._removed})


class ReplaceFeatures(Command):
    """Move, reshape or edit features: each keeps its id and place in the map order."""

    def __init__(self, after: list[Feature], text: str = ""):
        self.after = list(after)
        self.text = text or (f"Edit {self.after[0].name}" if len(self.after) == 1 else "Edit features")
        self._before: list[Feature] = []
        self._checked: list[Feature] | None = None

    def check(self, doc: Document) -> None:
        out = []
        for f in self.after:
            before = doc.feature(f.id)
            if before is None:
                raise ScenarioError(SOURCE, f"feature {f.id}", "no such feature")
            if style_mod.ring_colour_wanted(f):  # (a ring restyled without a colour keeps the one it is drawn in)
                f = style_mod.with_colour(f, style_mod.style_of(before).color if before.kind == "range_ring"
                                          else style_mod.next_ring_colour(doc.features))
            out.append(validated_feature(f, set()))
        ids = {f.id for f in out}
        gone = [fact for fact in doc.facts_about(ids) if fact.derive and fact.derive.get("op") != "distance"
                and any(f.kind != "path" for f in out if f.id == fact.derive.get("path"))]
        if gone:
            raise ScenarioError(SOURCE, f"feature {gone[0].derive.get('path')}", "a derived fact needs it to stay a path")
        self._checked = out

    def apply(self, doc: Document) -> Change:
        if self._checked is None:
            self.check(doc)
        self._before = [doc.feature(f.id) for f in self._checked]
        doc._replace(self._checked)
        return Change(self.text, added=list(self._checked))

    def revert(self, doc: Document) -> Change:
        doc._replace(self._before)
        return Change(self.text, added=list(self._before))


class SetFacts(Command):
    """Any change to the facts (add, edit, delete, reorder) as the whole new list."""

    def __init__(self, facts: list[Fact], text: str = "Edit facts"):
        self.facts = list(facts)
        self.text = text
        self._before: list[Fact] = []
        self._checked: list[Fact] | None = None

    def check(self, doc: Document) -> None:
        self._checked = validated_facts(self.facts, set(doc._by_id),
                                        lambda: {f.id for f in doc.features if f.geometry.get("type") == "Point"})

    def apply(self, doc: Document) -> Change:
        if self._checked is None:
            self.check(doc)
        self._before = list(doc.facts)
        doc._set_facts(self._checked)
        return Change(self.text, facts=True)

    def revert(self, doc: Document) -> Change:
        doc._set_facts(self._before)
        return Change(self.text, facts=True)


class SetMeta(Command):
    """The map's own fields: title, subtitle, article, event time, local time, view, groups, layers."""

    def __init__(self, text: str = "Edit map properties", **fields: Any):
        unknown = set(fields) - set(META_FIELDS)
        if unknown:
            raise TypeError(f"unknown map field(s): {', '.join(sorted(unknown))}")
        self.fields = fields
        self.text = text
        self._before: dict[str, Any] = {}
        self._checked: dict[str, Any] | None = None

    def check(self, doc: Document) -> None:
        s = doc.scenario
        candidate = Scenario(title=s.title, features=[], facts=[], subtitle=s.subtitle,
                             event_time_utc=s.event_time_utc, local_time=s.local_time, view=s.view, groups=s.groups,
                             article=s.article, layers=s.layers, sources_list=s.sources_list, banner=s.banner)
        for k, v in self.fields.items():
            setattr(candidate, k, v)
        meta = validated_meta(candidate)
        self._checked = {k: meta[k] for k in self.fields}

    def apply(self, doc: Document) -> Change:
        if self._checked is None:
            self.check(doc)
        self._before = {k: getattr(doc.scenario, k) for k in self._checked}
        doc._set_meta(self._checked)
        return Change(self.text, meta=True, layers="layers" in self._checked)

    def revert(self, doc: Document) -> Change:
        doc._set_meta(self._before)
        return Change(self.text, meta=True, layers="layers" in self._before)


def set_layers(layers: list[dict]) -> SetMeta:
    return SetMeta("Change layers", layers=[dict(x) for x in layers])
