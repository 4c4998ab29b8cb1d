"""The compact list of the launch history that the page draws and filters by itself."""

from __future__ import annotations

from typing import Any, Sequence

from viewer.model.history_launches import CLASS_COLOURS, CLASSES, DISTANCE_BANDS, OUTCOMES, Launch, LaunchHistory


def page_data(history: LaunchHistory, launches: Sequence[Launch] | None = None, digits: int = 4) -> dict[str, Any]:
    """The compact list the page draws and filters by itself, sent once.

    Each launch is one array: [id, epoch s, year, system index, site index, class index,
    outcome index, distance km or -1, lat, lon, flat track [lat, lon, ...] or []]."""
    launches = list(history.launches if launches is None else launches)
    systems = sorted({x.system for x in launches}, key=lambda s: s.key)
    sites = sorted({x.site for x in launches}, key=lambda s: s.key)
    sys_i = {s: i for i, s in enumerate(systems)}
    site_i = {s: i for i, s in enumerate(sites)}
    rows = []
    for x in launches:
        track: list[float] = []
        if x.track is not None:
            for la, lo in x.track.display:
                track.append(round(la, digits))
                track.append(round(lo, digits))
        rows.append([x.id, x.epoch, x.year, sys_i[x.system], site_i[x.site], CLASSES.index(x.system.cls)
                     if x.system.cls in CLASSES else CLASSES.index("other"), OUTCOMES.index(x.outcome),
                     x.distance_km if x.distance_km is not None else -1, round(x.site.lat, digits),
                     round(x.site.lon, digits), track])
    return {
        "name": history.name,
        "credit": history.credit,
        "classes": list(CLASSES),
        "colours": [CLASS_COLOURS[c] for c in CLASSES],
        "outcomes": list(OUTCOMES),
        "bands": [[lo, hi] for _l, lo, hi in DISTANCE_BANDS],
        "systems": [[s.key, s.name] for s in systems],
        "sites": [[s.key, s.name, s.precision] for s in sites],
        "launches": rows,
    }

