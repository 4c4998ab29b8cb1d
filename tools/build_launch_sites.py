"""Generate resources/gazetteer/launch_sites.json from the launch-history data's facility list.

Input: ../shared/data/dprk-launches/facility.en.json (nagix/nk-missile-tests, Apache-2.0, compiled
from the CNS North Korea Missile Test Database). Only names and coordinates are taken; each site
also gets the short names a news report uses for it ("Taechon" for "Taechon Reservoir", "Sunan"
for the Pyongyang airport) so the article drafter can find it.

    python tools/build_launch_sites.py [FACILITY_JSON] [OUT_JSON]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_IN = next((b / "shared" / "data" / "dprk-launches" / "facility.en.json" for b in (HERE.parent, HERE.parent.parent)
                   if (b / "shared" / "data").is_dir()), HERE.parent / "shared" / "data" / "dprk-launches" / "facility.en.json")
DEFAULT_OUT = HERE / "resources" / "gazetteer" / "launch_sites.json"
CREDIT = ("CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies / NTI), "
          "compiled with bearings by A. Kusanagi (nk-missile-tests, Apache-2.0)")

# Words that name the kind of facility, not the place: "Kusong Testing Ground" is also "Kusong".
_GENERIC = re.compile(r"\b(satellite launching (ground|station)|missile base|international airport|airport|"
                      r"airbase|airfield|air base|testing ground|test site|field|shipyard|arms plant|reservoir|"
                      r"peninsula|bay|county|missle test site( #\d+)?|missile test site( #\d+)?)\s*$", re.I)
# Other names the press uses for some sites (checked against the sites' own names and places.md).
_MORE = {
    "pyongyang": ["Sunan airport", "Sunan International Airport", "Pyongyang airport", "Pyongyang Sunan"],
    "west-sunan": ["West Sunan"],  # the source spells it "Wast Sunan"
    "sohae": ["Tongchang-ri", "Tongchang-dong", "Sohae"],
    "tonghae": ["Musudan-ri", "Tonghae"],
    "taesong": ["Taesong"],
    "lake-yonpung": ["Yonpung"],
    "wonsan": ["Kalma", "Wonsan airport"],
    "sondok-ab": ["Sondok airfield"],
    "kaechon": ["Kaechon airbase"],
}
# Sites whose short name would be a city's name, not the site's: "Pyongyang" is the capital.
_NO_SHORT = {"pyongyang"}
_KIND_UNCERTAINTY_M = 3_000  # a site's coordinates stand for an area of a few kilometres


def aliases(key: str, name: str) -> list[str]:
    out = [name]
    short = _GENERIC.sub("", name).strip(" ,")
    short = re.sub(r"^lake\s+", "", short, flags=re.I)
    if short and short.lower() != name.lower() and key not in _NO_SHORT:
        out.append(short)
    out.extend(_MORE.get(key, []))
    seen: dict[str, None] = {}
    for a in out:
        seen.setdefault(a, None)
    return list(seen)


def build(src: Path) -> dict:
    data = json.loads(src.read_text(encoding="utf-8"))["facilities"]
    sites = []
    for key, f in data.items():
        name = str(f["name"]).strip()
        lat, lon = float(f["lat"]), float(f["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SystemExit(f"{key}: coordinates out of range")
        entry = {"id": key, "name": name, "lat": round(lat, 6), "lon": round(lon, 6),
                 "uncertainty_m": _KIND_UNCERTAINTY_M}
        if key == "unknown":
            # The source files launches of unknown origin here (at Pyongyang airport): not a place name.
            entry["aliases"] = []
            entry["placeholder"] = True
        else:
            entry["aliases"] = aliases(key, name)
        sites.append(entry)
    return {"credit": CREDIT, "licence": "Apache-2.0", "generated_by": "tools/build_launch_sites.py",
            "country": "KP", "sites": sites}


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_IN
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    doc = build(src)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(doc['sites'])} sites")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
