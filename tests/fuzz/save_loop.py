"""Saves a project over and over until killed: versions A, B, C in turn, each a few MB.

    python tests/fuzz/save_loop.py PROJECT_PATH

Prints "READY" after the first save of A, then "SAVED <version> <n>" after each save returns.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from viewer import resources  # noqa: E402
from viewer.model.scenario import Feature, load_scenario  # noqa: E402

NAMES = "ABC"
EXTRA_FEATURES = 1500


def versions() -> dict[str, object]:
    """Three different projects of a few MB each (deterministic)."""
    base = load_scenario(resources.default_scenario())
    out = {}
    for v, name in enumerate(NAMES):
        extra = [Feature(f"{name.lower()}-{i}", "place",
                         {"type": "Point", "coordinates": [100.0 + (i % 700) / 10, 30.0 + v + (i // 700) / 10]},
                         {"kind": "place", "name": f"{name} place {i}", "notes": f"version {name} " + "x" * 1000,
                          "status": "reported", "source": "fuzz"})
                 for i in range(EXTRA_FEATURES)]
        out[name] = dataclasses.replace(base, title=f"Version {name}", features=list(base.features) + extra)
    return out


def main() -> int:
    from viewer.model.project import save_project

    path = Path(sys.argv[1])
    projects = versions()
    save_project(projects["A"], path)
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        name = NAMES[n % 3]
        save_project(projects[name], path)
        print(f"SAVED {name} {n}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
