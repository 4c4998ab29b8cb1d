"""The features as drawn, kept up to date change by change: a change at 100,000 features costs
what it touched, not a redraw, a re-sort or a new legend of the whole map.

:class:`DrawnSet` is a read-only sequence of :class:`~viewer.render.layers.DrawnFeature` in map
order, keyed by id, that also counts its legend entries and layer groups as features come and go.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.render.layers import (LEGEND_NAMED_MAX, DrawnFeature, count_folded, fold_legend, legend_entries, legend_key,
                                  legend_row_of)


class DrawnSet(Sequence):
    def __init__(self, drawn: Iterable[DrawnFeature] = ()):
        self._by_id: dict[str, DrawnFeature] = {}
        self._keys: dict[str, tuple | None] = {}
        self._legend: dict[tuple, int] = {}  # key -> how many features show it, in first-seen order
        # key -> its row, same order; a named feature's row is made when the legend lists it (past
        # a dozen named features it never does), the first feature that showed it stands for it
        self._rows: dict[tuple, dict[str, Any] | DrawnFeature] = {}
        self._named: dict[tuple, tuple] = {}  # rows of the analyst's named features -> their fold key
        self._plain: dict[tuple, dict[str, Any]] = {}  # the other rows
        self._folded: dict[tuple, tuple[dict[str, Any], int]] = {}  # fold key -> (row, features)
        self._groups: dict[str, int] = {}
        self._list: list[DrawnFeature] | None = None
        with collector_paused():  # 100,000 features: hundreds of thousands of legend keys and rows
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
        key = r[0] if r is not None else None
        self._keys[d.id] = key
        if r is not None:
            key, text, fold = r
            if key not in self._legend:
                if fold is None:
                    self._rows[key] = self._plain[key] = legend_row_of(d, text)
                else:
                    self._rows[key] = d
            self._legend[key] = self._legend.get(key, 0) + 1
            if fold is not None:
                self._named[key] = fold
                count_folded(self._folded, fold, d, +1)
        self._groups[d.group] = self._groups.get(d.group, 0) + 1

    def _put_many(self, drawn: Iterable[DrawnFeature]) -> None:
        """:meth:`put` each, in order, to the same counts: an analyst's named feature (most of a
        large map's), new here, the quick way, with what it shares with the others of its style
        (its legend colour, dash and fold key) worked out once per style."""
        by_id, keys, legend, rows, named, folded, groups = (self._by_id, self._keys, self._legend, self._rows,
                                                             self._named, self._folded, self._groups)
        styles: dict[tuple, tuple] = {}  # (symbol, style dict's id, kind, group) -> (colour, dash, fold key)
        counts: dict[tuple, int] = {}  # fold key -> features counted here, not yet in self._folded

        def settle() -> None:  # the counts into self._folded (before any put() can read them)
            for fold, n in counts.items():
                frow, had = folded[fold]
                folded[fold] = (frow, had + n)
            counts.clear()

        for d in drawn:
            fid, symbol = d.id, d.symbol
            if fid in by_id or symbol == "ring" or symbol == "text" or not d.name or not d.properties.get("annotation"):
                settle()
                self.put(d)
                continue
            group = d.group
            sk = (symbol, id(d.style), d.kind, group)  # (one style dict per style, alive while d is)
            got = styles.get(sk)
            if got is None:
                _key, _text, fold = legend_key(d)
                got = styles[sk] = (_key[1], _key[2], fold)
                if fold not in folded:
                    folded[fold] = (legend_row_of(d, fold[3]), 0)
            colour, dash, fold = got
            key = (symbol, colour, dash, d.name)
            by_id[fid] = d
            keys[fid] = key
            n = legend.get(key)
            if n is None:
                rows[key] = d
                legend[key] = 1
            else:
                legend[key] = n + 1
            named[key] = fold
            counts[fold] = counts.get(fold, 0) + 1
            groups[group] = groups.get(group, 0) + 1
        settle()
        self._list = None

    def remove(self, fid: str) -> DrawnFeature | None:
        d = self._by_id.pop(fid, None)
        if d is not None:
            self._list = None
            self._uncount(d)
        return d

    def _uncount(self, d: DrawnFeature) -> None:
        key = self._keys.pop(d.id, None)
        if key is not None:
            self._legend[key] -= 1
            fold = self._named.get(key)
            if fold is not None:
                count_folded(self._folded, fold, d, -1)
            if not self._legend[key]:
                del self._legend[key]
                del self._rows[key]
                self._named.pop(key, None)
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
        rows = {k: r if isinstance(r, dict) else legend_row_of(r, k[3]) for k, r in self._rows.items()} \
            if len(self._named) <= LEGEND_NAMED_MAX else self._rows  # (past a dozen, only the plain rows are read)
        return fold_legend(rows, self._named, self._folded, self._plain.values())

    def groups(self) -> list[str]:
        """The layer groups that have features, in first-seen order."""
        return list(self._groups)

    def has_group(self, group: str) -> bool:
        return group in self._groups


def legend_of(drawn: Iterable[DrawnFeature]) -> list[dict[str, Any]]:
    return drawn.legend() if isinstance(drawn, DrawnSet) else legend_entries(list(drawn))


def groups_present(drawn: Iterable[DrawnFeature], groups: Iterable[str]) -> list[str]:
    if isinstance(drawn, DrawnSet):
        return [g for g in groups if drawn.has_group(g)]
    present = {d.group for d in drawn}
    return [g for g in groups if g in present]


__all__ = ["DrawnSet", "groups_present", "legend_of"]
