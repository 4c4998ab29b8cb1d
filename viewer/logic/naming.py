"""Names of features as the analyst sees them: renaming, names that follow a ring's radius,
default names proposed when a feature is created, and headers for the properties panel."""

from __future__ import annotations

import re

from viewer.model.scenario import Feature

KIND_TITLES = {"range_ring": "Range ring", "path": "Line", "area": "Area", "place": "Marker"}
ROLE_TITLES = {"launch": "Launch point", "target_estimate": "Estimated impact area", "impact": "Impact point",
               "crossing": "Crossing", "context": "Place", "marker": "Marker", "label": "Text label"}


def renamed(f: Feature, name: str) -> Feature:
    props = dict(f.properties)
    props["name"] = name
    return Feature(f.id, f.kind, f.geometry, props)


def km_text(radius_m: float) -> str:
    km = radius_m / 1000
    return f"{km:,.0f} km" if km >= 10 else f"{km:,.2f} km"


# The units a radius is written in (the ring dialog's): metres in one.
RADIUS_UNITS = (("nmi", 1852.0), ("mi", 1609.344), ("km", 1000.0))


def _number_forms(radius_m: float, unit_m: float = 1000.0) -> list[str]:
    v = radius_m / unit_m
    forms = {f"{v:,.0f}", f"{v:.0f}", f"{v:,.1f}", f"{v:.1f}", f"{v:,.2f}", f"{v:.2f}"}
    if v != int(v):
        forms = {x for x in forms if float(x.replace(",", "")) == round(v, len(x.split(".")[1]) if "." in x else 0)}
    return sorted(forms, key=len, reverse=True)


def follow_radius(text: str, old_m: float, new_m: float) -> str:
    """``text`` with the old radius (in km, nmi or mi, as written in it) replaced by the new one in
    the same unit ("200 nmi ring" -> "250 nmi ring").

    A name the analyst gave without the radius in it ("Hwasong-8 reach") stays as it is: only
    names that state the radius follow it ("380 km reported range" -> "500 km reported range").
    """
    if not text or old_m == new_m:
        return text
    for unit, unit_m in RADIUS_UNITS:
        new_v = new_m / unit_m
        for form in _number_forms(old_m, unit_m):
            pattern = re.compile(r"(?<![\d.,])" + re.escape(form) + r"(?=\s*" + unit + r"\b)")
            if pattern.search(text):
                decimals = len(form.split(".")[1]) if "." in form else 0
                if decimals == 0 and new_v < 10:
                    decimals = 2
                repl = f"{new_v:,.{decimals}f}" if "," in form or new_v < 1000 else f"{new_v:.{decimals}f}"
                return pattern.sub(repl, text, count=1)
    return text


def states_a_radius(text: str) -> bool:
    """Whether ``text`` is a radius and nothing else ("380 km", "200 nmi")."""
    return bool(re.fullmatch(r"\s*[\d.,]+\s*(?:km|nmi|mi|m)\s*", text or ""))


def with_radius(f: Feature, radius_m: float) -> Feature:
    """A ring with a new radius; its name and label follow unless they do not state the radius."""
    props = dict(f.properties)
    old = float(props.get("radius_m", radius_m))
    props["radius_m"] = float(radius_m)
    props["name"] = follow_radius(str(props.get("name", "")), old, radius_m)
    if props.get("label"):
        props["label"] = follow_radius(str(props["label"]), old, radius_m)
    return Feature(f.id, f.kind, f.geometry, props)


def default_name(kind: str, props: dict, taken_names: set[str]) -> str:
    """A sensible name for a new feature: its kind, numbered past the names already on the map."""
    if kind == "range_ring" and props.get("radius_m"):
        base = f"{km_text(float(props['radius_m']))} range ring"
    else:
        base = ROLE_TITLES.get(str(props.get("role")), "") or KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())
    if base not in taken_names:
        return base
    n = 2
    while f"{base} {n}" in taken_names:
        n += 1
    return f"{base} {n}"


def heading(f: Feature) -> str:
    """What the properties panel calls a feature: its name and what it is, never its id."""
    what = ROLE_TITLES.get(f.role or "", "") if f.kind == "place" else KIND_TITLES.get(f.kind, "")
    if f.kind == "place" and not what:
        what = "Marker"
    if f.kind == "path" and f.role == "flight":
        what = "Flight path"
    if f.kind == "area" and f.role == "target_estimate":
        what = "Estimated impact area"
    return f"{f.name} \u2014 {what}" if f.name else what
