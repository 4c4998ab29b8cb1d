"""The built-in basemap's place labels: country names, capitals, cities and river names placed
once per zoom for the whole world with collision avoidance (text widths estimated from
per-character em widths), then listed in every tile their box touches. No Qt; used by
:mod:`viewer.render.basemap`.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from viewer.render.deferred import Deferred

np = Deferred("numpy")  # (imported when a tile is first built)
shapely = Deferred("shapely")

TILE = 256  # px per tile side

# Cities shown per zoom: (minimum population of a capital, of any other city).
_INF = float("inf")
_CITY_RULES = {
    0: (_INF, _INF),
    1: (_INF, _INF),
    2: (5_000_000, 10_000_000),
    3: (1_000_000, 5_000_000),
    4: (0, 2_000_000),
    5: (0, 1_000_000),
    6: (0, 500_000),
    7: (0, 200_000),
    8: (0, 100_000),
}
_CITY_RULE_DEFAULT = (0, 0)  # z9 and deeper: every city in the data (>= 15 000 people)
_COUNTRY_ZOOM_LEAD = 1.0  # a country label shows from zoom MIN_LABEL - this
_LABEL_PAD = 2.0  # px of clear space kept around every label box
_COUNTRY_SPACING = 0.12  # em letter spacing the page applies to country names
COUNTRY_SPOTS = "country_spots.json"
_MAX_SPOTS = 24  # other places offered per country name and zoom



# --------------------------------------------------------------------------- text metrics

# Rough advance widths in em of a Helvetica/Arial-like sans.  They only size
# collision boxes; the page draws with fillText(..., maxWidth) so a label
# never grows past its box even if the real font is wider.
_NARROW = set("iljI.,:;'!|()[]`’")
_SEMI = set("frt- \"/")
_WIDE = set("mwMW@")
_TABLE_SIZE = 0x2E80  # code points from here on (CJK and beyond) count 1 em


def _char_em(ch: str) -> float:
    if ch in _NARROW:
        return 0.26
    if ch in _SEMI:
        return 0.34
    if ch in _WIDE:
        return 0.86
    if ch.isdigit():
        return 0.56
    if ch.isupper():
        return 0.68
    if ch.isascii():
        return 0.53
    if ord(ch) >= _TABLE_SIZE:
        return 1.0
    return 0.6


_em_table: np.ndarray | None = None


def em_widths(texts: list[str]) -> np.ndarray:
    """Widths in em of many strings at once (vectorised table look-up)."""
    global _em_table
    if _em_table is None:
        _em_table = np.array([_char_em(chr(i)) for i in range(_TABLE_SIZE)] + [1.0])
    if not texts:
        return np.zeros(0)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    w = _em_table[np.minimum(cps, _TABLE_SIZE)]
    ends = np.cumsum(lens)
    sums = np.concatenate([[0.0], np.cumsum(w)])
    return sums[ends] - sums[ends - lens]


# --------------------------------------------------------------------------- labels


class _Cities:
    """Column arrays of one tier of cities, sorted most populous first."""

    def __init__(self, cols: dict):
        self.name: list[str] = list(cols["name"])
        self.x = np.asarray(cols["x"], dtype=np.float64)
        self.y = np.asarray(cols["y"], dtype=np.float64)
        self.pop = np.asarray(cols["pop"], dtype=np.int64)
        self.cap = np.asarray(cols["capital"], dtype=bool)
        self.em = em_widths(self.name)


class Places:
    """Country label points and cities; the small-city tier is read only when needed."""

    def __init__(self, data_dir: Path, meta: dict):
        self._data_dir = data_dir
        self._minor_file = meta.get("minor")
        self.minor_below = int(meta.get("minor_below", 0))
        data = read_json_gz(data_dir / meta["major"])
        c = data["countries"]
        self.c_name: list[str] = list(c["name"])
        self.c_x = np.asarray(c["x"], dtype=np.float64)
        self.c_y = np.asarray(c["y"], dtype=np.float64)
        self.c_min = np.asarray(c["min_label"], dtype=np.float64)
        self.c_max = np.asarray(c["max_label"], dtype=np.float64)
        self.c_rank = np.asarray(c["rank"], dtype=np.int64)
        self.c_a3: list[str] = list(c.get("a3") or [""] * len(self.c_name))
        self.major = _Cities(data["cities"])
        self._spots: dict[str, np.ndarray] | None = None
        self._minor: _Cities | None = None

    def spots(self, i: int) -> np.ndarray:
        """Other places inside country ``i`` where its name may stand, (N, 2) world units, nearest
        its label point first (``country_spots.json``, made by tools/build_country_spots.py)."""
        if self._spots is None:
            path = self._data_dir / COUNTRY_SPOTS
            try:
                raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            except (OSError, ValueError):
                raw = {}  # (a damaged file: each country's name stays at its label point)
            self._spots = {}
            for a3, flat in raw.items() if isinstance(raw, dict) else ():
                try:
                    xy = np.asarray(flat, dtype=np.float64).reshape(-1, 2)
                except (TypeError, ValueError):
                    continue
                self._spots[str(a3)] = xy[np.isfinite(xy).all(axis=1)]
        return self._spots.get(self.c_a3[i], np.zeros((0, 2)))

    def tiers(self, other_min: float) -> list[_Cities]:
        if other_min >= self.minor_below or not self._minor_file:
            return [self.major]
        if self._minor is None:
            self._minor = _Cities(read_json_gz(self._data_dir / self._minor_file)["cities"])
        return [self.major, self._minor]


class RiverNames:
    """River name candidates per zoom (``river_names.npz``, made by tools/build_basemap.py).

    A candidate is one place along one river where its name fits, with up to four options
    (text centre in world px of the zoom, rotation in degrees), best first. Only the members
    of a zoom asked for are read."""

    def __init__(self, data_dir: Path, meta: dict):
        self._path = data_dir / meta["file"]
        self.zooms = {int(z) for z in meta["zooms"]}
        self._size = {int(z): float(v) for z, v in meta["size"].items()}
        self._npz = None
        self._names: list[str] | None = None

    def at(self, z: int) -> dict | None:
        """Columns of zoom ``z``'s candidates (text, size, w, nopt, xy (N, 4, 2), angle (N, 4)), or None."""
        if z not in self.zooms:
            return None
        if self._npz is None:
            self._npz = np.load(self._path, allow_pickle=False)
            self._names = json.loads(self._npz["names"].tobytes().decode("utf-8"))
        npz, names = self._npz, self._names
        idx = npz[f"z{z}_name"]
        return {
            "text": [names[i] for i in idx.tolist()],
            "size": self._size[z],
            "w": npz[f"z{z}_w"].astype(np.float64) / 8.0,
            "nopt": npz[f"z{z}_nopt"].astype(np.int64),
            "xy": npz[f"z{z}_xy"].astype(np.float64) / 8.0,
            "angle": npz[f"z{z}_angle"].astype(np.float64) / 10.0,
        }


def rotated_extent(w: np.ndarray, h: np.ndarray, angle_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Half width and half height of the axis-aligned box around a w x h box turned by ``angle_deg``."""
    a = np.radians(angle_deg)
    c, s = np.abs(np.cos(a)), np.abs(np.sin(a))
    return (w * c + h * s) / 2, (w * s + h * c) / 2


def read_json_gz(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _wrap_country(name: str) -> list[str]:
    """Long country names go on two lines, split at the space nearest the middle."""
    if len(name) <= 12 or " " not in name:
        return [name]
    mid = len(name) / 2
    cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: (abs(i - mid), i))
    return [name[:cut], name[cut + 1 :]]


def _with_wrapped_copies(boxes: np.ndarray, wpx: float) -> tuple[np.ndarray, np.ndarray]:
    """Boxes (N, 4) plus copies shifted one world left/right where they cross the world edge.

    Returns (all boxes, index of the original box of each).
    """
    ids = [np.arange(len(boxes))]
    parts = [boxes]
    for k, sel in ((1.0, boxes[:, 0] < 0), (-1.0, boxes[:, 2] > wpx)):
        if sel.any():
            b = boxes[sel].copy()
            b[:, [0, 2]] += k * wpx
            parts.append(b)
            ids.append(np.flatnonzero(sel))
    return np.concatenate(parts), np.concatenate(ids)


_ALIGNS = ("left", "right", "center", "center")


class ZoomLabels:
    """The labels placed at one zoom for the whole world (world pixel coordinates)."""

    def __init__(self, wpx: float, texts: list[str], kinds: list[str], cand: dict[str, np.ndarray],
                 placed: np.ndarray, option: np.ndarray, boxes: np.ndarray):
        self.wpx = wpx
        self._texts = texts
        self._kinds = kinds
        self._cand = cand  # per candidate: size, x, y, w, dot, anchors (N, 4, 2)
        self.placed = placed  # candidate indices, in priority order
        self.option = option  # chosen position of each placed label
        self.boxes = boxes  # (len(placed), 4) final boxes, padding included
        # other spots of the placed country names (see :func:`_country_spots`): the placed label
        # each belongs to, its rank among that label's spots (1 first) and its box, padding included
        self.alt_of = np.zeros(0, dtype=np.int64)
        self.alt_rank = np.zeros(0, dtype=np.int64)
        self.alt_boxes = np.zeros((0, 4))

    def __len__(self) -> int:
        return len(self.placed)

    def in_tile(self, x: int, y: int) -> list[dict]:
        """Labels whose box touches tile (x, y), in that tile's pixel coordinates."""
        if not len(self.placed):
            return []
        x0, y0 = float(x * TILE), float(y * TILE)
        b = self.boxes
        rows = []
        vert = (b[:, 1] < y0 + TILE) & (b[:, 3] > y0)
        for shift in (0.0, self.wpx, -self.wpx):  # the label itself, or its copy one world over
            hit = vert & (b[:, 0] + shift < x0 + TILE) & (b[:, 2] + shift > x0)
            rows.extend((int(i), shift) for i in np.flatnonzero(hit))
        rows.sort()
        c = self._cand
        out = []
        for n, shift in rows:
            i = int(self.placed[n])
            k = int(self.option[n])
            kind = self._kinds[i]
            tx, ty = round1(c["anchors"][i, k, 0] + shift - x0), round1(c["anchors"][i, k, 1] - y0)
            d = {
                "text": self._texts[i],
                "kind": kind,
                "size": compact_number(c["size"][i]),
                "x": tx if kind == "river" else round1(c["x"][i] + shift - x0),
                "y": ty if kind == "river" else round1(c["y"][i] - y0),
                "tx": tx,
                "ty": ty,
                "align": _ALIGNS[k] if kind in ("capital", "city") else "center",
                "w": round1(c["w"][i]),
            }
            if kind in ("capital", "city"):
                d["dot"] = compact_number(c["dot"][i])
            elif kind == "river":
                d["angle"] = round1(c["angle"][i, k])  # degrees, clockwise; text centred on (tx, ty)
            # for the page's placement with the overlay's labels: priority (0 first) and the box
            bx = self.boxes[n]
            d["p"] = n
            d["b"] = [round1(bx[0] + _LABEL_PAD + shift - x0), round1(bx[1] + _LABEL_PAD - y0),
                      round1(bx[2] - _LABEL_PAD + shift - x0), round1(bx[3] - _LABEL_PAD - y0)]
            out.append(d)
        return out

    def spots_in_tile(self, x: int, y: int) -> list[dict]:
        """The other spots of the country names whose box touches tile (x, y): each a label of its
        own (priority after every placed label's) with ``of`` (the priority of the country's
        label) and ``alt`` (its rank, 1 first); the page draws one only where it puts that name
        (resources/js/labels.js), never by default."""
        if not len(self.alt_of):
            return []
        x0, y0 = float(x * TILE), float(y * TILE)
        b, out, n0, c = self.alt_boxes, [], len(self.placed), self._cand
        vert = (b[:, 1] < y0 + TILE) & (b[:, 3] > y0)
        for shift in (0.0, self.wpx, -self.wpx):
            for m in np.flatnonzero(vert & (b[:, 0] + shift < x0 + TILE) & (b[:, 2] + shift > x0)).tolist():
                owner = int(self.alt_of[m])
                i = int(self.placed[owner])
                cx, cy = (b[m, 0] + b[m, 2]) / 2 + shift - x0, (b[m, 1] + b[m, 3]) / 2 - y0
                out.append({
                    "text": self._texts[i], "kind": "country", "size": compact_number(c["size"][i]),
                    "tx": round1(cx), "ty": round1(cy), "w": round1(c["w"][i]), "p": n0 + m, "of": owner, "alt": int(self.alt_rank[m]),
                    "b": [round1(b[m, 0] + _LABEL_PAD + shift - x0), round1(b[m, 1] + _LABEL_PAD - y0),
                          round1(b[m, 2] - _LABEL_PAD + shift - x0), round1(b[m, 3] - _LABEL_PAD - y0)],
                })
        return out


def place_labels(places: Places, z: int, rivers: RiverNames | None = None) -> ZoomLabels:
    """Choose and place the labels of zoom ``z`` for the whole world.

    Greedy placement in priority order: countries (by label rank, then
    population), capitals, other cities (by population), then river names
    (longest river first).  A city tries four text positions around its dot:
    right, left, above, below; a river name up to four places beside its line
    (above, below, a name's length on or back), its text turned along the river.  Candidates
    whose possible boxes overlap no other candidate's take their first
    position directly (as does one whose first position overlaps the reach of
    no earlier candidate); only the others go through the (Python) greedy
    loop, which gives the same result as running it over everything.
    """
    wpx = float(TILE << z)
    scale = wpx / float(1 << 24)

    texts: list[str] = []
    kinds: list[str] = []
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("size", "x", "y", "w", "h", "dot")}

    # countries
    ci = np.flatnonzero((places.c_min - _COUNTRY_ZOOM_LEAD <= z) & (z <= places.c_max))
    for i in ci:
        rank = int(places.c_rank[i])
        size = (13 if rank <= 2 else 12 if rank <= 3 else 11 if rank <= 4 else 10) + (1 if z >= 5 else 0)
        lines = _wrap_country(places.c_name[i])
        em = em_widths([t.upper() for t in lines])
        w = float(max(em * size + _COUNTRY_SPACING * size * np.maximum(0, np.array([len(t) for t in lines]) - 1)))
        texts.append("\n".join(lines))
        kinds.append("country")
        cols["size"].append(np.array([float(size)]))
        cols["w"].append(np.array([w * 1.06]))
        cols["h"].append(np.array([size * 1.15 * len(lines)]))
        cols["dot"].append(np.zeros(1))
    cols["x"].append(places.c_x[ci] * scale)
    cols["y"].append(places.c_y[ci] * scale)
    n_countries = len(ci)

    # capitals, then the other cities; each tier is sorted by population and
    # every city of the major tier outnumbers every one of the minor tier
    cap_min, other_min = _CITY_RULES.get(z, _CITY_RULE_DEFAULT)
    tiers = places.tiers(other_min)
    for want_cap, limit in ((True, cap_min), (False, other_min)):
        if limit == _INF:
            continue
        for T in tiers:
            sel = np.flatnonzero((T.cap == want_cap) & (T.pop >= limit))
            if not len(sel):
                continue
            bump = 1.0 if z >= 8 else 0.0  # a little larger once the map is local
            if want_cap:
                size = np.full(len(sel), (12.0 if z >= 5 else 11.0) + bump)
                factor, r = 1.12, 3.0  # drawn bold, bigger dot
            else:
                p = T.pop[sel]
                size = np.where(p >= 1_000_000, 12.0, np.where(p >= 200_000, 11.0, 10.0)) + bump
                factor, r = 1.04, 2.0
            texts.extend(T.name[i] for i in sel.tolist())
            kinds.extend(["capital" if want_cap else "city"] * len(sel))
            cols["size"].append(size)
            cols["w"].append(T.em[sel] * size * factor)
            cols["h"].append(size * 1.2)
            cols["dot"].append(np.full(len(sel), r))
            cols["x"].append(T.x[sel] * scale)
            cols["y"].append(T.y[sel] * scale)

    n_places = len(texts)
    riv = rivers.at(z) if rivers is not None else None
    if riv is not None and len(riv["text"]):
        texts.extend(riv["text"])
        kinds.extend(["river"] * len(riv["text"]))
        nr = len(riv["text"])
        cols["size"].append(np.full(nr, riv["size"]))
        cols["w"].append(riv["w"])
        cols["h"].append(np.full(nr, riv["size"] * 1.2))
        cols["dot"].append(np.zeros(nr))
        cols["x"].append(riv["xy"][:, 0, 0])
        cols["y"].append(riv["xy"][:, 0, 1])

    N = len(texts)
    c = {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}
    if N == 0:
        return ZoomLabels(wpx, [], [], c, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, 4)))
    x, y, w, h, r = c["x"], c["y"], c["w"], c["h"], c["dot"]
    is_city = np.arange(N) >= n_countries
    gap = r + 3.0
    half = h / 2
    hw = np.maximum(w / 2, r)
    # option boxes (N, 4 options, x0 y0 x1 y1) and text anchors (N, 4, tx ty)
    boxes = np.empty((N, 4, 4))
    boxes[:, 0] = np.column_stack([x - r, y - half, x + gap + w, y + half])  # text right of the dot
    boxes[:, 1] = np.column_stack([x - gap - w, y - half, x + r, y + half])  # left
    boxes[:, 2] = np.column_stack([x - hw, y - r - 1 - h, x + hw, y + r])  # above
    boxes[:, 3] = np.column_stack([x - hw, y - r, x + hw, y + r + 1 + h])  # below
    boxes[~is_city] = np.column_stack([x - w / 2, y - half, x + w / 2, y + half])[~is_city][:, None, :]
    boxes[:, :, :2] -= _LABEL_PAD
    boxes[:, :, 2:] += _LABEL_PAD
    anchors = np.empty((N, 4, 2))
    anchors[:, 0] = np.column_stack([x + gap, y])
    anchors[:, 1] = np.column_stack([x - gap, y])
    anchors[:, 2] = np.column_stack([x, y - r - 1 - half])
    anchors[:, 3] = np.column_stack([x, y + r + 1 + half])
    anchors[~is_city] = np.column_stack([x, y])[~is_city][:, None, :]
    n_opts = np.where(is_city, 4, 1)
    c["angle"] = np.zeros((N, 4))
    if N > n_places:
        # river names: their options' centres and turns come with the data; an option past
        # the candidate's count repeats its first (never tried, it only widens the reach)
        rv = slice(n_places, N)
        nopt = riv["nopt"]
        use = np.where(np.arange(4)[None, :] < nopt[:, None], np.arange(4)[None, :], 0)
        rows = np.arange(len(nopt))[:, None]
        cxy, ang = riv["xy"][rows, use], riv["angle"][rows, use]
        hx, hy = rotated_extent(w[rv][:, None], h[rv][:, None], ang)
        boxes[rv] = np.stack([cxy[..., 0] - hx, cxy[..., 1] - hy, cxy[..., 0] + hx, cxy[..., 1] + hy], axis=-1)
        boxes[rv, :, :2] -= _LABEL_PAD
        boxes[rv, :, 2:] += _LABEL_PAD
        anchors[rv] = cxy
        c["angle"][rv] = ang
        n_opts[rv] = nopt
    c["anchors"] = anchors

    # pairs of candidates whose reach (union of option boxes) overlap
    union = np.column_stack([boxes[:, :, 0].min(1), boxes[:, :, 1].min(1), boxes[:, :, 2].max(1), boxes[:, :, 3].max(1)])
    allb, ids = _with_wrapped_copies(union, wpx)
    geoms = shapely.box(allb[:, 0], allb[:, 1], allb[:, 2], allb[:, 3])
    src, dst = shapely.STRtree(geoms).query(geoms[:N])  # bounding boxes: exact for boxes
    dst = ids[dst]
    keep = dst < src  # neighbours that come earlier in priority order
    src, dst = src[keep], dst[keep]
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    starts = np.searchsorted(src, np.arange(N + 1))
    # A candidate whose first position overlaps the reach of no earlier
    # candidate takes it whatever the others do: only the rest need the loop.
    first = boxes[src, 0][:, None, :]  # (pairs, 1, 4)
    reach = boxes[dst]  # (pairs, 4 options, 4)
    vert = (first[..., 1] < reach[..., 3]) & (first[..., 3] > reach[..., 1])
    hit = np.zeros(vert.shape, dtype=bool)
    for shift in (0.0, wpx, -wpx):
        hit |= vert & (first[..., 0] < reach[..., 2] + shift) & (first[..., 2] > reach[..., 0] + shift)
    hit = hit.any(axis=1)
    conflict = np.zeros(N, dtype=bool)
    conflict[src[hit]] = True

    option = np.where(conflict, -1, 0).tolist()
    cidx = np.flatnonzero(conflict)
    need = np.union1d(cidx, dst[conflict[src]])  # candidates in the loop and their earlier neighbours
    cbox = dict(zip(need.tolist(), boxes[need].tolist()))
    nopt = n_opts.tolist()
    dst_l = dst.tolist()
    starts_l = starts.tolist()
    for i in cidx.tolist():
        nb = [cbox[j][option[j]] for j in dst_l[starts_l[i] : starts_l[i + 1]] if option[j] >= 0]
        mine = cbox[i]
        for k in range(nopt[i]):
            b0, b1, b2, b3 = mine[k]
            for o in nb:
                if b1 < o[3] and b3 > o[1] and (
                    (b0 < o[2] and b2 > o[0])
                    or (b0 < o[2] + wpx and b2 > o[0] + wpx)
                    or (b0 < o[2] - wpx and b2 > o[0] - wpx)
                ):
                    break
            else:
                option[i] = k
                break
    option = np.asarray(option)

    placed = np.flatnonzero(option >= 0)
    opt = option[placed]
    zl = ZoomLabels(wpx, texts, kinds, c, placed, opt, boxes[placed, opt])
    _country_spots(zl, places, ci, scale)
    return zl


def _country_spots(zl: ZoomLabels, places: Places, ci: np.ndarray, scale: float) -> None:
    """Other spots inside each placed country where its name may stand instead (the page chooses:
    where its own spot is covered by the event's labels, or outside a briefing's frame). A spot is
    a division centre of the country (nearest the label point first) at least half the name's width
    across or a line down from the name's own spot and from the spots taken before it; at most
    ``_MAX_SPOTS``."""
    n_countries = len(ci)
    owners, ranks, boxes = [], [], []
    for n in np.flatnonzero(zl.placed < n_countries).tolist():
        i = int(zl.placed[n])
        spots = places.spots(int(ci[i]))
        if not len(spots):
            continue
        own = zl.boxes[n]
        w, h = own[2] - own[0], own[3] - own[1]
        taken = [((own[0] + own[2]) / 2, (own[1] + own[3]) / 2)]
        rank = 0
        for sx, sy in (spots * scale).tolist():
            # half a name across or a line down from the name where it is and from the spots before
            if any(abs(sx - tx) < 0.5 * w and abs(sy - ty) < h for tx, ty in taken):
                continue
            taken.append((sx, sy))
            rank += 1
            owners.append(n)
            ranks.append(rank)
            boxes.append((sx - w / 2, sy - h / 2, sx + w / 2, sy + h / 2))
            if rank >= _MAX_SPOTS:
                break
    if owners:
        zl.alt_of = np.asarray(owners, dtype=np.int64)
        zl.alt_rank = np.asarray(ranks, dtype=np.int64)
        zl.alt_boxes = np.asarray(boxes, dtype=np.float64)


def round1(v: float) -> float:
    return round(float(v), 1)


def compact_number(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(float(v), 1)
