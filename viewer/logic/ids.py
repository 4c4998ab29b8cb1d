"""Feature ids: new ones for drawn features, and renaming so imported features never collide."""

from __future__ import annotations

from typing import Iterable

from viewer.model.scenario import Feature

_PREFIX = {"range_ring": "ring", "place": "marker", "path": "line", "area": "area"}


def prefix_for(kind: str, props: dict) -> str:
    if kind == "place" and props.get("role") == "label":
        return "label"
    return _PREFIX.get(kind, "feature")


def new_id(prefix: str, taken: set[str] | dict) -> str:
    """``prefix-N`` with the smallest N not taken."""
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def renamed_for_import(features: Iterable[Feature], taken: Iterable[str]) -> list[Feature]:
    """Imported features as annotations, their ids made unique (``id-2``, ``id-3``, ...)."""
    used = set(taken)
    out = []
    for f in features:
        fid = f.id
        n = 2
        while fid in used:
            fid = f"{f.id}-{n}"[:128]
            n += 1
        used.add(fid)
        props = dict(f.properties)
        props["annotation"] = True
        out.append(Feature(fid, f.kind, f.geometry, props))
    return out
