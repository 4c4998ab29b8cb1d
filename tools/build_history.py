#!/usr/bin/env python3
"""Generate the launch history in ``resources/history/`` from the nk-missile-tests data.

Build-time only. Reads the four JSON files of the public repository
``nagix/nk-missile-tests`` (Apache-2.0; compiled from the CNS North Korea Missile Test
Database, with a launch bearing per test) and writes:

``dprk-launches.json``   the facts and figures only: one row per launch (date, time UTC,
                         series, system, site, apogee, distance, bearing, outcome, landing
                         area), the sites (name, lat, lon, how precise), the systems (name,
                         class). The ``description`` prose and the ``_about`` texts are
                         someone else's sentences and are not shipped.
``LICENSE``              the Apache License 2.0 of the source, copied unchanged.
``SOURCES.md``           written by hand: credit, licence, what was changed.

Dirty values are normalised here, once: "unknown"/"na" become null, numeric strings
("140") become numbers, "23:50 (UTC)" becomes "23:50". The output is deterministic.

    .venv/bin/python tools/build_history.py [SOURCE_DIR] [--out resources/history]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

DEFAULT_SOURCE = Path("/work/shared/data/dprk-launches")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "resources" / "history"

CREDIT = ("CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies / NTI), "
          "compiled with bearings by A. Kusanagi (nk-missile-tests, Apache-2.0)")

# Missile "type" in the source -> the class SitMap draws. SLV is a space launch vehicle;
# a glide vehicle (HGV) is none of the ballistic ranges, so it is "other".
CLASSES = {"SRBM": "SRBM", "MRBM": "MRBM", "IRBM": "IRBM", "ICBM": "ICBM", "SLBM": "SLBM",
           "SLV": "space launch", "CRUISE": "cruise", "UNKNOWN": "unknown"}
CLASS_ORDER = ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "space launch", "cruise", "other", "unknown")

# Names that say the coordinates are a facility's own; other sites are a town's or a
# county's centre (coordinates given to 2-3 decimals), drawn as "area" not "site".
_FACILITY_WORDS = re.compile(r"air(base|port|field)|base|ground|station|shipyard|plant|field|"
                             r"peninsula|reservoir|lake|test site|launching", re.I)
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(\(UTC\))?\s*$", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")  # some early tests are known to the month only
OUTCOMES = ("success", "failure", "unknown")


class BuildError(ValueError):
    pass


def number(value, where: str) -> float | int | None:
    """A km figure: numbers stay, numeric strings are read, "unknown"/"na"/"" are None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        v = value
    elif isinstance(value, str):
        text = value.strip().lower().replace(",", "")
        if text in ("", "unknown", "na", "n/a", "-"):
            return None
        try:
            v = float(text)
        except ValueError:
            raise BuildError(f"{where}: not a number: {value!r}") from None
    else:
        raise BuildError(f"{where}: not a number: {value!r}")
    if v != v or v < 0 or v > 100_000:
        raise BuildError(f"{where}: out of range: {value!r}")
    return int(v) if float(v).is_integer() else round(float(v), 1)


def time_utc(value, where: str) -> str | None:
    if not isinstance(value, str) or value.strip().lower() in ("", "unknown"):
        return None
    m = _TIME.match(value)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise BuildError(f"{where}: not a time: {value!r}")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def site_precision(key: str, site: dict, all_sites: dict) -> str:
    """"site" (the facility), "area" (a town or county centre) or "placeholder" (no real
    position: the source puts unknown sites at another site's coordinates)."""
    if key == "unknown":
        return "placeholder"
    for other_key, other in all_sites.items():
        if other_key != key and other_key != "unknown" and (other["lat"], other["lon"]) == (site["lat"], site["lon"]):
            return "placeholder"
    return "site" if _FACILITY_WORDS.search(site["name"]) else "area"


def build(source: Path) -> dict:
    tests = json.loads((source / "test.en.json").read_text(encoding="utf-8"))
    facilities = json.loads((source / "facility.en.json").read_text(encoding="utf-8"))["facilities"]
    missiles = json.loads((source / "missile.en.json").read_text(encoding="utf-8"))
    dictionary = json.loads((source / "dict.en.json").read_text(encoding="utf-8"))

    sites = {}
    for key in sorted(facilities):
        f = facilities[key]
        lat, lon = float(f["lat"]), float(f["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BuildError(f"facility {key}: impossible coordinates")
        sites[key] = {"name": str(f["name"]), "lat": round(lat, 6), "lon": round(lon, 6),
                      "precision": site_precision(key, f, facilities)}
    systems = {}
    for key in sorted(missiles):
        m = missiles[key]
        kind = str(m.get("type", "Unknown"))
        systems[key] = {"name": str(m["name"]), "class": CLASSES.get(kind.upper(), "other"), "type": kind}

    columns = ["id", "date", "time_utc", "series", "system", "site", "apogee_km", "distance_km",
               "bearing_deg", "outcome", "landing"]
    rows = []
    seen: set[str] = set()
    for b in tests["timeBins"]:
        for i, t in enumerate(b["data"]):
            where = f"{b.get('year')}[{i}]"
            date = str(t["date"])
            if not _DATE.match(date):
                raise BuildError(f"{where}: bad date {date!r}")
            series = t.get("series")
            if series is not None and not (isinstance(series, int) and series > 0):
                raise BuildError(f"{where}: bad series {series!r}")
            ident = f"dprk-{date.replace('-', '')}-{series or 1}"
            n = 2
            while ident in seen:  # several launches one day without a series number
                ident = f"dprk-{date.replace('-', '')}-{series or 1}-{n}"
                n += 1
            seen.add(ident)
            system = str(t["missile"])
            site = str(t["facility"])
            if system not in systems or site not in sites:
                raise BuildError(f"{where}: unknown missile {system!r} or facility {site!r}")
            bearing = number(t.get("bearing"), f"{where}.bearing")
            if bearing is not None and not 0 <= bearing <= 360:
                raise BuildError(f"{where}: bearing out of range")
            outcome = str(t.get("outcome", "unknown")).lower()
            if outcome not in OUTCOMES:
                outcome = "unknown"
            landing = str(t.get("landing", "unknown"))
            landing = dictionary.get(landing) if landing not in ("unknown", "na") else None
            rows.append([ident, date, time_utc(t.get("time"), f"{where}.time"), series, system, site,
                         number(t.get("apogee"), f"{where}.apogee"), number(t.get("distance"), f"{where}.distance"),
                         bearing, outcome, landing])
    rows.sort(key=lambda r: (r[1], r[2] or "", r[3] or 0, r[0]))
    return {
        "name": "North Korean missile and space launches",
        "credit": CREDIT,
        "licence": "Apache-2.0 (LICENSE in this folder)",
        "source": "nagix/nk-missile-tests, data/test.en.json, facility.en.json, missile.en.json, dict.en.json",
        "status": "reported",
        "classes": list(CLASS_ORDER),
        "sites": sites,
        "systems": systems,
        "columns": columns,
        "launches": rows,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    try:
        data = build(args.source)
    except (OSError, KeyError, BuildError, json.JSONDecodeError) as e:
        print(f"build_history: {e}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One launch per line: small diffs when the source is updated.
    text = text.replace(',"launches":[[', ',"launches":[\n[').replace("],[", "],\n[")
    (args.out / "dprk-launches.json").write_text(text + "\n", encoding="utf-8")
    shutil.copyfile(args.source / "LICENSE", args.out / "LICENSE")
    print(f"build_history: {len(data['launches'])} launches, {len(data['sites'])} sites, "
          f"{len(data['systems'])} systems -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
