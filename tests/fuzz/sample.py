"""A fixed sample of the hostile corpus across all formats (for the slower GUI and CLI runs)."""

from __future__ import annotations

import json
import random
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "broken"


def corpus_sample(per_format: dict[str, int], seed: int = 20220117) -> list[dict]:
    """Entries every reader must refuse (the lenient opener too), spread over the categories of
    each format."""
    entries = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    out = []
    for ext, n in per_format.items():
        pool = [e for e in entries if e["file"].endswith("." + ext) and e["import_annotations"] == "refuse"
                and e.get("open_map") != "opens"]
        by_category: dict[str, list[dict]] = {}
        for e in pool:
            by_category.setdefault(e["category"], []).append(e)
        cats = sorted(by_category)
        rng.shuffle(cats)
        picked: list[dict] = []
        while len(picked) < n and any(by_category.values()):
            for c in cats:
                if by_category[c] and len(picked) < n:
                    picked.append(by_category[c].pop(rng.randrange(len(by_category[c]))))
        out += picked
    return out
