"""Generate resources/gazetteer/divisions.json: first-level administrative divisions of every country
(provinces, states, prefectures ...) with their other names and a centre point.

Input: the data file of the ``iso3166-2`` package (MIT licence, https://github.com/amckenna41/iso3166-2),
read as JSON (the package itself is not imported: it pulls in an HTTP client SitMap does not need).
Only codes, names, other names, types and centre coordinates are kept.

    python tools/build_divisions.py [OUT_JSON]
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_OUT = HERE / "resources" / "gazetteer" / "divisions.json"
CREDIT = "ISO 3166-2 subdivisions via the iso3166-2 package (A. McKenna, MIT licence)"


def source_file() -> Path:
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install the iso3166-2 package first (pip install 'sitmap[build-data]')")
    return Path(list(spec.submodule_search_locations)[0]) / "iso3166-2.json"


def build(src: Path) -> dict:
    data = json.loads(src.read_text(encoding="utf-8"))
    out = []
    for country, subs in sorted(data.items()):
        for code, s in sorted(subs.items()):
            ll = s.get("latLng")
            if s.get("parentCode") or not ll or len(ll) != 2:
                continue  # first level only, and only with a centre
            lat, lon = float(ll[0]), float(ll[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                continue
            others = []
            for other in (s.get("localOtherName") or "").split(","):
                other = re.sub(r"\s*\([a-z]{3}\)\s*$", "", other).strip()
                if other and other != s["name"] and other not in others:
                    others.append(other)
            out.append({"code": code, "name": s["name"], "type": s.get("type") or "", "lat": round(lat, 4),
                        "lon": round(lon, 4), "other_names": others})
    return {"credit": CREDIT, "licence": "MIT", "generated_by": "tools/build_divisions.py", "divisions": out}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    doc = build(source_file())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: {len(doc['divisions'])} divisions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
