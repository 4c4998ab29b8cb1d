"""The features as drawn, kept up to date change by change: a change at 100,000 features costs
what it touched, not a redraw, a re-sort or a new legend of the whole map.

:class:`DrawnSet` is a read-only sequence of :class:`~viewer.render.layers.DrawnFeature` in map
order, keyed by id, that also counts its legend entries and layer groups as features come and go.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.render.layers import (LEGEND_NAMED_MAX, DrawnFeature, count_folded, folded_legend, legend_entries,
                                  legend_key, legend_row_of)


class DrawnSet(Sequence):
    def __init__(self, drawn: Iterable[DrawnFeature] = ()):
        self._by_id: dict[str, DrawnFeature] = {}
        # legend key -> [how many features show it, its row, fold key], in first-seen order: a
        # named feature's row is made when the legend lists it (past a dozen named features it
        # never does), the first feature that showed it stands for it; the fold key (None: not an
        # analyst's named feature's row) names the row of its kind and style. One dict, not one
        # per item: a million named features made three take 2.5 s. A feature's key is its
        # legend_key, worked out again when it goes.
        self._legend: dict[tuple, list] = {}
        self._named = 0  # rows with a fold key
        self._plain: dict[tuple, dict[str, Any]] = {}  # the rows that are not named features'
        self._folded: dict[tuple, tuple[dict[str, Any], int]] = {}  # fold key -> (row, features)
        self._groups: dict[str, int] = {}
        self._list: list[DrawnFeature] | None = None
        with collector_paused():  # 100,000 features: hundreds of thousands of legend keys and rows
            self._put_many(drawn)

    def put_many(self, drawn: Iterable[DrawnFeature]) -> None:
        """:meth:`put` each, in order (a large map's, a slice at a time)."""
        with collector_paused():
            self._put_many(drawn)

    @classmethod
    def of(cls, drawn: Iterable[DrawnFeature]) -> "DrawnSet":
        return drawn if isinstance(drawn, DrawnSet) else cls(drawn)

    # ------------------------------------------------------------------ sequence
    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[DrawnFeature]:
        return iter(self._by_id.values())

    def __getitem__(self, i):
        if self._list is None:
            self._list = list(self._by_id.values())
        return self._list[i]

    def get(self, fid: str) -> DrawnFeature | None:
        return self._by_id.get(fid)

    # ------------------------------------------------------------------ changes
    def put(self, d: DrawnFeature) -> None:
        """Add a feature at the end, or replace the one with its id where it stands."""
        if d.id in self._by_id:
            self._uncount(self._by_id[d.id])
        self._by_id[d.id] = d
        self._list = None
        r = legend_key(d)
        if r is not None:
            key, text, fold = r
            entry = self._legend.get(key)
            if entry is None:
                if fold is None:
                    entry = self._legend[key] = [0, legend_row_of(d, text), None]
                    self._plain[key] = entry[1]
                else:
                    entry = self._legend[key] = [0, d, None]
            entry[0] += 1
            if fold is not None:
                if entry[2] is None:
                    self._named += 1
                entry[2] = fold
                count_folded(self._folded, fold, d, +1)
        self._groups[d.group] = self._groups.get(d.group, 0) + 1

    def _put_many(self, drawn: Iterable[DrawnFeature]) -> None:
        """:meth:`put` each, in order, to the same counts: an analyst's named feature (most of a
        large map's), new here, the quick way, with what it shares with the others of its style
        (its legend colour, dash and fold key) worked out once per style."""
        by_id, legend, folded, groups = self._by_id, self._legend, self._folded, self._groups
        # (symbol, style dict's id, kind, group) -> [colour, dash, fold key, group, features counted
        # here and not yet in self._folded and self._groups]: a count a style, not two a feature
        styles: dict[tuple, list] = {}
        pending: list[list] = []  # the styles counted since the last settle(), in first-counted order
        named = 0  # rows given a fold key here, not yet in self._named

        def settle() -> None:  # the counts into self._folded, self._groups and self._named (before any put() reads them)
            nonlocal named
            for got in pending:  # (a group new here, in the order its first feature came)
                fold, group, n = got[2], got[3], got[4]
                frow, had = folded[fold]
                folded[fold] = (frow, had + n)
                groups[group] = groups.get(group, 0) + n
                got[4] = 0
            pending.clear()
            self._named += named
            named = 0

        for d in drawn:
            fid, symbol = d.id, d.symbol
            if fid in by_id or symbol == "ring" or symbol == "text" or not d.name or not d.properties.get("annotation"):
                settle()
                self.put(d)
                continue
            sk = (symbol, id(d.style), d.kind, d.group)  # (one style dict per style, alive while d is)
            got = styles.get(sk)
            if got is None:
                _key, _text, fold = legend_key(d)
                got = styles[sk] = [_key[1], _key[2], fold, d.group, 0]
                if fold not in folded:
                    folded[fold] = (legend_row_of(d, fold[3]), 0)
            fold = got[2]
            key = (symbol, got[0], got[1], d.name)
            by_id[fid] = d
            entry = legend.get(key)
            if entry is None:
                legend[key] = [1, d, fold]
                named += 1
            else:
                entry[0] += 1
                if entry[2] is None:
                    named += 1
                entry[2] = fold
            n = got[4]
            if not n:
                pending.append(got)
            got[4] = n + 1
        settle()
        self._list = None

    def remove(self, fid: str) -> DrawnFeature | None:
        d = self._by_id.pop(fid, None)
        if d is not None:
            self._list = None
            self._uncount(d)
        return d

    def _uncount(self, d: DrawnFeature) -> None:
        r = legend_key(d)
        if r is not None:
            key = r[0]
            entry = self._legend[key]
            entry[0] -= 1
            fold = entry[2]
            if fold is not None:
                count_folded(self._folded, fold, d, -1)
            if not entry[0]:
                del self._legend[key]
                if fold is not None:
                    self._named -= 1
                self._plain.pop(key, None)
        self._groups[d.group] -= 1
        if not self._groups[d.group]:
            del self._groups[d.group]

    def reorder(self, ids: Iterable[str]) -> None:
        """Put the features in this order (ids not drawn are skipped; drawn ones not named go last)."""
        by_id = self._by_id
        ordered = {fid: by_id[fid] for fid in ids if fid in by_id}
        for fid, d in by_id.items():
            ordered.setdefault(fid, d)
        self._by_id = ordered
        self._list = None

    # ------------------------------------------------------------------ summaries
    def legend(self) -> list[dict[str, Any]]:
        """As :func:`~viewer.render.layers.legend_entries` gives it (entries in first-seen order)."""
        if self._named <= LEGEND_NAMED_MAX:
            return [r if isinstance(r, dict) else legend_row_of(r, k[3]) for k, (_n, r, _f) in self._legend.items()]
        return folded_legend(self._plain.values(), self._folded)

    def groups(self) -> list[str]:
        """The layer groups that have features, in first-seen order."""
        return list(self._groups)

    def has_group(self, group: str) -> bool:
        return group in self._groups


def legend_of(drawn: Iterable[DrawnFeature]) -> list[dict[str, Any]]:
    return drawn.legend() if isinstance(drawn, DrawnSet) else legend_entries(drawn)


def groups_present(drawn: Iterable[DrawnFeature], groups: Iterable[str]) -> list[str]:
    if isinstance(drawn, DrawnSet):
        return [g for g in groups if drawn.has_group(g)]
    present = {d.group for d in drawn}
    return [g for g in groups if g in present]


__all__ = ["DrawnSet", "groups_present", "legend_of"]
