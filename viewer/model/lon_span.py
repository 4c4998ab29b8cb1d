"""The narrowest span of longitudes that holds them all: across the antimeridian where that is
narrower (places at 179 E and 179 W span 179 to 181, not the whole world). The view a map opens
on, whoever works it out (a file read, the page's first view), takes its longitudes from here."""

from __future__ import annotations

from collections.abc import Iterable

from viewer.model.coords import normalise_lon


def narrowest_span(lons: Iterable[float]) -> tuple[float, float]:
    """West and east edge of the longitudes (each within -180 to 180; east may pass 180)."""
    lons = list(lons)
    west, east = min(lons), max(lons)
    if east - west <= 180.0:
        return west, east
    wrapped = [normalise_lon(x) for x in lons]
    taken = bytearray(360)  # degree k: longitudes k-180 to k-179
    for x in wrapped:
        taken[min(359, int(x + 180.0))] = 1
    if all(taken):
        return -180.0, 180.0
    best = run = start = 0
    for k in range(720):  # (twice round: the widest stretch without any may pass 180)
        if taken[k % 360]:
            run = 0
            continue
        run += 1
        if best < run <= 360:
            best, start = run, k - run + 1
    begin = (start + best) % 360 - 180.0  # the span begins just east of that stretch
    shifted = [x if x >= begin else x + 360.0 for x in wrapped]
    w, e = min(shifted), max(shifted)
    return (w, e) if e - w < east - west else (west, east)
