"""Natural Earth data the basemap build reads from the CC0 GeoJSON conversion
(github.com/martynafford/natural-earth-geojson, a checkout or a git clone): urban areas, and
river lines with their names, placed along the drawn rivers zoom by zoom."""

from __future__ import annotations

import hashlib
import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape as geo_shape

sys.path.insert(0, str(Path(__file__).resolve().parent))  # basemap_geo, however this is loaded
from basemap_geo import BUILD_PACKAGES, LAT_MAX, ROOT, WORLD, _only, _project  # noqa: E402

NE_RIVER_GAP_PX = 3.0  # a Natural Earth river line this close to a WDBII one is the same river

# --------------------------------------------------------------------------- Natural Earth GeoJSON

# Files read from a checkout (or a git clone, read with ``git show``) of
# https://github.com/martynafford/natural-earth-geojson (CC0 conversion of Natural Earth, public domain)
NE_GEOJSON_URL = "https://github.com/martynafford/natural-earth-geojson"
NE_URBAN = "50m/cultural/ne_50m_urban_areas.json"
NE_RIVERS = "10m/physical/ne_10m_rivers_lake_centerlines.7z"  # a 7-zip holding the GeoJSON


class NaturalEarthGeoJSON:
    """Files of a natural-earth-geojson checkout, or of a git clone of it (read with ``git show``)."""

    def __init__(self, path: Path, rev: str = "HEAD"):
        self.path = Path(path)
        self.rev = rev
        self.commit = self._git("rev-parse", "--verify", f"{rev}^{{commit}}")
        self.from_git = not (self.path / NE_URBAN).is_file()
        if self.from_git and not self.commit:
            sys.exit(f"--natural-earth-geojson {path}: neither a checkout holding {NE_URBAN} nor a git "
                     f"repository with revision {rev} (clone {NE_GEOJSON_URL})")
        self._bytes: dict[str, bytes] = {}

    def _git(self, *args: str) -> str:
        import subprocess

        try:
            r = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, check=False)
        except OSError:
            return ""
        return r.stdout.decode("ascii", "replace").strip() if r.returncode == 0 else ""

    def read(self, rel: str) -> bytes:
        if rel not in self._bytes:
            if not self.from_git:
                self._bytes[rel] = (self.path / rel).read_bytes()
            else:
                import subprocess

                r = subprocess.run(["git", "-C", str(self.path), "show", f"{self.commit}:{rel}"],
                                   capture_output=True, check=False)
                if r.returncode != 0 or not r.stdout:
                    sys.exit(f"cannot read {rel} at {self.commit} from {self.path}: "
                             f"{r.stderr.decode('utf-8', 'replace').strip()}")
                self._bytes[rel] = r.stdout
        return self._bytes[rel]

    def geojson(self, rel: str) -> dict:
        data = self.read(rel)
        if rel.endswith(".7z"):
            data = _unpack_7z(data, Path(rel).stem + ".json")
        return json.loads(data)

    def sha256(self, rel: str) -> str:
        return hashlib.sha256(self.read(rel)).hexdigest()


def _unpack_7z(data: bytes, member: str) -> bytes:
    try:
        import py7zr
    except ImportError:
        sys.exit(f"py7zr is missing. Install the build-time packages:\n  .venv/bin/pip install {BUILD_PACKAGES}")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        with py7zr.SevenZipFile(io.BytesIO(data)) as z:
            z.extractall(path=tmp)
        return (Path(tmp) / member).read_bytes()


def _geojson_geoms(fc: dict) -> tuple[np.ndarray, list[dict]]:
    """(shapely geometries, properties) of a GeoJSON FeatureCollection, features without geometry left out."""
    feats = [f for f in fc["features"] if f.get("geometry")]
    return np.asarray([geo_shape(f["geometry"]) for f in feats], dtype=object), [f["properties"] for f in feats]


def _load_urban(fc: dict) -> tuple[np.ndarray, np.ndarray]:
    """Natural Earth urban areas: projected polygons and the ``min_zoom`` of each."""
    geoms, props = _geojson_geoms(fc)
    mz = np.array([float(p.get("min_zoom") or 0.0) for p in props])
    geoms = shapely.make_valid(geoms)
    idx = np.arange(len(geoms))
    parts, pidx = shapely.get_parts(geoms, return_index=True)
    keep = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    parts, pidx = parts[keep], idx[pidx[keep]]
    parts = shapely.clip_by_rect(parts, -180.0, -LAT_MAX, 180.0, LAT_MAX)
    parts = shapely.transform(parts, _project)
    keep = ~shapely.is_empty(parts)
    return parts[keep], mz[pidx[keep]]


def _clip_to_land(urban: dict[int, list], land: dict[int, list], min_area: float) -> dict[int, list]:
    """The urban pieces of each chunk that lie on that chunk's land (no tint over the sea where
    the 1:50m outline runs past a more detailed coast)."""
    out: dict[int, list] = {}
    for cid in sorted(urban):
        if cid not in land:
            continue
        ground = shapely.union_all(np.asarray(land[cid], dtype=object))
        got = _only(shapely.intersection(np.asarray(urban[cid], dtype=object), ground), polygonal=True)
        got = got[shapely.area(got) >= min_area]
        if len(got):
            out[cid] = list(got)
    return out


# --------------------------------------------------------------------------- river names

RIVER_LABEL_ZMIN = 5  # no river names below this zoom
RIVER_LABEL_LEAD = 1.0  # a river is named from zoom (Natural Earth min_label - this)
RIVER_LABEL_SPACING = 560.0  # px between the names repeated along one river, up to zoom 11;
# deeper, the spacing grows by sqrt(2) a zoom (a name about once a screen at zoom 14)
RIVER_LABEL_GAP = 1.5  # px between the river line and the text box
RIVER_LABEL_NEAR_PX = 6.0  # a drawn river line within this many px of the text's edge
RIVER_LABEL_FACTOR = 1.02  # italic text runs about as wide as the upright text the em table measures


def river_label_size(z: int) -> float:
    return 11.0 if z < 9 else 12.0


def _load_ne_river_lines(fc: dict) -> tuple[np.ndarray, np.ndarray]:
    """Natural Earth's river lines (not the centre lines through lakes), projected, with the
    ``min_zoom`` of each."""
    geoms, props = _geojson_geoms(fc)
    river = np.array([p.get("featurecla") == "River" for p in props], dtype=bool)
    mz = np.array([float(p.get("min_zoom") or 0.0) for p in props])[river]
    clipped = shapely.clip_by_rect(geoms[river], -180.0, -LAT_MAX, 180.0, LAT_MAX)
    parts, idx = shapely.get_parts(shapely.line_merge(clipped), return_index=True)
    keep = (shapely.get_type_id(parts) == shapely.GeometryType.LINESTRING) & ~shapely.is_empty(parts)
    return shapely.transform(parts[keep], _project), mz[idx[keep]]


def _ne_rivers_besides(ne_lines: np.ndarray, lines: np.ndarray, px: float) -> np.ndarray:
    """The parts of Natural Earth's river lines farther than NE_RIVER_GAP_PX from any of ``lines``
    (pieces shorter than a few px left out)."""
    near = shapely.union_all(shapely.buffer(lines, NE_RIVER_GAP_PX * px, quad_segs=2))
    extra = _only(shapely.line_merge(shapely.difference(ne_lines, near)), polygonal=False)
    return extra[shapely.length(extra) >= 4 * NE_RIVER_GAP_PX * px]


def _load_river_names(fc: dict) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """Named Natural Earth rivers and lake centre lines: (names, projected coordinate arrays of
    each line, the zoom each line is named from). Lines of one name that meet are joined."""
    geoms, props = _geojson_geoms(fc)
    by_name: dict[str, list] = {}
    zmin: dict[str, float] = {}
    for g, p in zip(geoms, props):
        name = " ".join((p.get("name") or "").split())  # "Amu  Darya" -> "Amu Darya"
        if not name:
            continue
        by_name.setdefault(name, []).append(g)
        z = max(RIVER_LABEL_ZMIN, math.floor(float(p.get("min_label") or 0.0) - RIVER_LABEL_LEAD))
        zmin[name] = min(zmin.get(name, 99), z)
    names: list[str] = []
    lines: list[np.ndarray] = []
    zs: list[int] = []
    for name in sorted(by_name):
        merged = shapely.line_merge(shapely.union_all(np.asarray(by_name[name], dtype=object)))
        parts = shapely.get_parts(shapely.clip_by_rect(merged, -180.0, -LAT_MAX, 180.0, LAT_MAX))
        parts = _only(parts, polygonal=False)
        for part in parts:
            names.append(name)
            lines.append(_project(shapely.get_coordinates(part)))
            zs.append(zmin[name])
    return names, lines, np.asarray(zs, dtype=np.int64)


def river_label_spacing(z: int) -> float:
    return RIVER_LABEL_SPACING * 2.0 ** (max(0, z - 11) / 2)


def _river_label_options(xy: np.ndarray, w: float, h: float, size: float, spacing: float) -> list[np.ndarray]:
    """Places for a name of width ``w`` along one line (zoom pixels): a list, per place along the
    line, of up to four options ``[cx, cy, angle]`` (text centre, rotation in degrees, clockwise,
    reading left to right), best first.

    The places are spread along the line about ``spacing`` apart, the first and last a little in
    from its ends (a river is named where it meets the sea or another river, as on printed maps);
    a line shorter than that gets one, in its middle. Each place looks for the stretches near it
    where the line runs straight for the name's length (the text is set beside the line, turned
    along it, so a bend under it would look wrong): the nearest (flatter text preferred) above the
    line, the same below it, then the next nearest at least two names' length away."""
    seg = np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1]))
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    L = float(cum[-1])
    if L < 1.6 * w:
        return []
    # every position along the line where the text could sit, a few px apart
    step = max(2.0, w / 8)
    pos = np.arange(w / 2, L - w / 2 + 1e-9, step)
    if not len(pos):
        return []
    samples = np.linspace(-0.5, 0.5, 9)
    s = pos[:, None] + samples[None, :] * w
    px = np.interp(s, cum, xy[:, 0])
    py = np.interp(s, cum, xy[:, 1])
    dx, dy = px[:, -1] - px[:, 0], py[:, -1] - py[:, 0]
    chord = np.hypot(dx, dy)
    with np.errstate(invalid="ignore", divide="ignore"):
        # how far the line strays from the straight baseline of the text
        dev = (np.abs((px - px[:, :1]) * dy[:, None] - (py - py[:, :1]) * dx[:, None]) / chord[:, None]).max(1)
    ok = (chord >= 0.9 * w) & (dev <= 0.3 * size)
    if not ok.any():
        return []
    ang = np.degrees(np.arctan2(dy, dx))
    ang = np.where(ang > 90.0, ang - 180.0, np.where(ang <= -90.0, ang + 180.0, ang))
    ar = np.radians(ang)
    off = h / 2 + RIVER_LABEL_GAP
    ux, uy = np.sin(ar) * off, -np.cos(ar) * off  # towards the side above the text's baseline
    mx, my = (px[:, 0] + px[:, -1]) / 2, (py[:, 0] + py[:, -1]) / 2

    n = int(L // spacing) + 1
    if n == 1:
        targets = np.array([L / 2])
    else:
        margin = min(w, (L - w) / 2)
        targets = np.linspace(w / 2 + margin, L - w / 2 - margin, n)
    reach = spacing / 3 if n > 1 else L / 2
    out = []
    taken = np.zeros(len(pos), dtype=bool)  # a stretch serves one place
    for t in targets:
        near = np.flatnonzero(ok & ~taken & (np.abs(pos - t) <= reach))
        if not len(near):
            continue
        # distance along the line, plus a penalty for steep text (read with a turned head)
        cost = np.abs(pos[near] - t) + np.maximum(0.0, np.abs(ang[near]) - 40.0) * (w / 40.0)
        order = near[np.argsort(cost, kind="stable")]
        best = order[0]
        opts = [(mx[best] + ux[best], my[best] + uy[best], ang[best]),
                (mx[best] - ux[best], my[best] - uy[best], ang[best])]
        chosen = [best]
        for j in order[1:]:
            if len(opts) == 4:
                break
            if all(abs(pos[j] - pos[k]) >= 2.0 * w for k in chosen):  # far enough to clear what hid the first
                opts.append((mx[j] + ux[j], my[j] + uy[j], ang[j]))
                chosen.append(j)
        for k in chosen:
            taken[np.abs(pos - pos[k]) < w] = True
        out.append(np.asarray(opts))
    return out


def _short_pieces(geoms: np.ndarray, n: int = 32) -> np.ndarray:
    """Lines cut into pieces of at most ``n`` segments (a spatial index of long lines finds little)."""
    pieces = []
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(idx)) + 1, [len(idx)]])
    for a, b in zip(starts[:-1], starts[1:]):
        for s0 in range(a, b - 1, n):
            pieces.append(shapely.linestrings(coords[s0 : min(s0 + n + 1, b)]))
    return np.asarray(pieces, dtype=object)


def _river_label_candidates(names: list[str], lines: list[np.ndarray], zmins: np.ndarray, z: int,
                            drawn: shapely.STRtree | None = None) -> dict[str, np.ndarray]:
    """Label candidates of zoom ``z``, longest rivers first (priority order).

    ``drawn`` indexes the river lines the zoom draws: an option is kept only where one runs
    beside the text (a name never floats where its river is not drawn at that zoom), and the
    options under which none runs come first."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from viewer.render.basemap_labels import em_widths  # the viewer's own text metrics size the names

    scale = (256.0 * (1 << z)) / WORLD
    size = river_label_size(z)
    h = size * 1.2
    uniq = sorted(set(names))
    name_idx = {n: i for i, n in enumerate(uniq)}
    em = dict(zip(uniq, em_widths(uniq).tolist()))
    order = sorted((i for i in range(len(lines)) if zmins[i] <= z),
                   key=lambda i: (-float(np.sum(np.hypot(*np.diff(lines[i], axis=0).T))), names[i], i))
    rows_name, rows_w, rows_n, rows_opt = [], [], [], []
    for i in order:
        w = em[names[i]] * size * RIVER_LABEL_FACTOR
        for opts in _river_label_options(lines[i] * scale, w, h, size, river_label_spacing(z)):
            full = np.zeros((4, 3))
            full[: len(opts)] = opts
            rows_name.append(name_idx[names[i]])
            rows_w.append(w)
            rows_n.append(len(opts))
            rows_opt.append(full)
    opt = np.asarray(rows_opt).reshape(-1, 4, 3)
    nopt = np.asarray(rows_n, dtype=np.int64)
    if drawn is not None and len(opt):
        valid = (np.arange(4)[None, :] < nopt[:, None]).ravel()
        at = np.flatnonzero(valid)
        flat = opt.reshape(-1, 3)[at]
        reach = (h / 2 + RIVER_LABEL_GAP + RIVER_LABEL_NEAR_PX) / scale
        src, _ = drawn.query(shapely.points(flat[:, 0] / scale, flat[:, 1] / scale), predicate="dwithin", distance=reach)
        near = np.zeros(len(at), dtype=bool)
        near[src] = True
        # ... and none runs under the text (its box, turned, a px in from each side)
        a = np.radians(flat[:, 2])
        ca, sa = np.cos(a), np.sin(a)
        hw = (np.repeat(np.asarray(rows_w), 4)[at] - 2.0) / 2
        hh = (h - 2.0) / 2
        corners = np.stack([np.column_stack([flat[:, 0] + dx * hw * ca - dy * hh * sa,
                                             flat[:, 1] + dx * hw * sa + dy * hh * ca])
                            for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1))], axis=1) / scale
        src, _ = drawn.query(shapely.polygons(corners), predicate="intersects")
        under = np.zeros(len(at), dtype=bool)
        under[src] = True
        keep = np.zeros(valid.size, dtype=bool)
        keep[at[near]] = True
        keep = keep.reshape(-1, 4)
        clear = np.zeros(valid.size, dtype=bool)
        clear[at[~under]] = True
        clear = clear.reshape(-1, 4)
        rows = [m for m in range(len(opt)) if keep[m].any()]
        packed = np.zeros((len(rows), 4, 3))
        for r, m in enumerate(rows):
            # the options clear of every river line first, then those over one (the halo shows the name)
            k = opt[m][np.concatenate([np.flatnonzero(keep[m] & clear[m]), np.flatnonzero(keep[m] & ~clear[m])])]
            packed[r, : len(k)] = k
        nopt = keep[rows].sum(axis=1)
        opt = packed
        rows_name = [rows_name[m] for m in rows]
        rows_w = [rows_w[m] for m in rows]
        rows_n = nopt.tolist()
    return {
        "name": np.asarray(rows_name, dtype=np.int32),
        "w": np.round(np.asarray(rows_w, dtype=np.float64) * 8).astype(np.int32),  # 1/8 px
        "nopt": np.asarray(rows_n, dtype=np.uint8),
        "xy": np.round(opt[:, :, :2] * 8).astype(np.int32),  # 1/8 px of zoom z
        "angle": np.round(opt[:, :, 2] * 10).astype(np.int16),  # 1/10 degree
    }
