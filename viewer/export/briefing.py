"""The briefing composition: a page laid out at the export's size around the Leaflet map.

Pure Python (no Qt): :func:`compose` returns the HTML and the :class:`Layout` numbers.
The page is the ordinary map page (``viewer.render.page.build_page``) with the map div
moved into a frame and ``resources/js/briefing.js`` adding the title, banners, legend
styling, scale bar, north arrow and source lines around it. Every scenario text
travels as JSON and is put into the DOM with ``textContent`` by the page.

Sizes are in CSS pixels (96 per inch). The renderer zooms the page so one CSS pixel is
``Layout.zoom`` device pixels: the map is drawn at the target resolution, a 1920x1080
slide and a 3840x2160 one show the same view, and an A4 PNG and an A4 PDF are the same
composition.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from viewer.model.scenario import Scenario
from viewer.render import layers as layer_mod

CSS_PX_PER_INCH = 96.0
MM_PER_INCH = 25.4

# Landscape paper, millimetres.
PAPERS = {"a4": (297.0, 210.0), "letter": (279.4, 215.9)}
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}

# Standard US markings: (text, background, text colour). The user picks; SitMap never infers one.
MARKINGS = (
    ("UNCLASSIFIED", "#007A33", "#FFFFFF"),
    ("CUI", "#502B85", "#FFFFFF"),
    ("CONFIDENTIAL", "#0033A0", "#FFFFFF"),
    ("SECRET", "#C8102E", "#FFFFFF"),
    ("TOP SECRET", "#FF8C00", "#000000"),
)

_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


def marking_colours(banner: str) -> tuple[str, str]:
    """(background, text colour) of a banner: those of the standard marking it begins with (its
    level, before any caveat: "SECRET//NOFORN" is SECRET's red), else green and white."""
    text = " ".join((banner or "").strip().upper().split())
    for level, bg, fg in sorted(MARKINGS, key=lambda m: -len(m[0])):  # (TOP SECRET before SECRET)
        if text == level or (text.startswith(level) and text[len(level)] in "/ (-"):
            return bg, fg
    return "#007A33", "#FFFFFF"
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


class BriefingError(ValueError):
    pass


MIN_PIXELS, MAX_PIXELS = 16, 10000  # a picture's sides


@dataclass(frozen=True)
class ExportSize:
    """The picture to make: device pixels, and how they map to the page's CSS pixels."""

    width: int
    height: int
    style: str = "slide"  # "slide" (projected: bigger type) or "print"
    paper: str | None = None
    dpi: int | None = None

    @property
    def zoom(self) -> float:
        """Device pixels per CSS pixel."""
        if self.dpi:
            return self.dpi / CSS_PX_PER_INCH
        # A 1920x1080 slide is 13.33 x 7.5 in: 1280 x 720 CSS px, so 1.5 device px each.
        z = min(self.width / 1280.0, self.height / 720.0)
        return max(0.25, min(5.0, z))

    @property
    def css_size(self) -> tuple[float, float]:
        return self.width / self.zoom, self.height / self.zoom

    @property
    def label(self) -> str:
        if self.paper:
            return f"{PAPER_LABELS[self.paper]} landscape @ {self.dpi} dpi ({self.width}\u00d7{self.height})"
        return f"{self.width}\u00d7{self.height}"

    @classmethod
    def for_paper(cls, paper: str, dpi: int) -> "ExportSize":
        if paper not in PAPERS:
            raise BriefingError(f"paper {paper!r}: use a4 or letter")
        if not 72 <= dpi <= 600:
            raise BriefingError(f"dpi {dpi}: use 72 to 600")
        w_mm, h_mm = PAPERS[paper]
        return cls(round(w_mm / MM_PER_INCH * dpi), round(h_mm / MM_PER_INCH * dpi), "print", paper, dpi)

    @classmethod
    def pixels(cls, width: int, height: int) -> "ExportSize":
        """A picture of ``width`` x ``height`` pixels, each from 16 to 10,000 (as the command line's --size)."""
        import numbers

        for v in (width, height):
            if not isinstance(v, numbers.Integral) or isinstance(v, bool) or not MIN_PIXELS <= v <= MAX_PIXELS:
                raise BriefingError(f"size {str(width)[:20]}x{str(height)[:20]}: width and height must be whole "
                                    f"numbers of pixels from {MIN_PIXELS} to {MAX_PIXELS:,}")
        return cls(int(width), int(height), "slide")


PRESETS: tuple[tuple[str, ExportSize], ...] = (
    ("Slide 1920\u00d71080", ExportSize.pixels(1920, 1080)),
    ("Slide 3840\u00d72160 (4K)", ExportSize.pixels(3840, 2160)),
    ("A4 landscape, 150 dpi", ExportSize.for_paper("a4", 150)),
    ("A4 landscape, 300 dpi", ExportSize.for_paper("a4", 300)),
    ("US Letter landscape, 150 dpi", ExportSize.for_paper("letter", 150)),
    ("US Letter landscape, 300 dpi", ExportSize.for_paper("letter", 300)),
)


@dataclass(frozen=True)
class Typography:
    """Sizes in CSS px (briefing-style.md: slide px / 1.5; print pt x 4/3)."""

    banner_bar: float
    banner_text: float
    title: float
    subtitle: float
    legend: float
    scale: float
    north: float
    footer: float
    margin: float
    facts: float


SLIDE = Typography(banner_bar=40 / 1.5, banner_text=26 / 1.5, title=60 / 1.5, subtitle=32 / 1.5,
                   legend=26 / 1.5, scale=22 / 1.5, north=48 / 1.5, footer=20 / 1.5, margin=28 / 1.5,
                   facts=22 / 1.5)
_PT = 4.0 / 3.0
_MM = CSS_PX_PER_INCH / MM_PER_INCH
PRINT = Typography(banner_bar=7 * _MM, banner_text=11 * _PT, title=22 * _PT, subtitle=11.5 * _PT,
                   legend=8.5 * _PT, scale=7.5 * _PT, north=9 * _MM, footer=7 * _PT, margin=9 * _MM,
                   facts=7.5 * _PT)


@dataclass
class BriefingOptions:
    """What goes on the briefing. ``None`` title/subtitle means "from the scenario"."""

    title: str | None = None
    subtitle: str | None = None
    show_title: bool = True
    show_subtitle: bool = True
    show_legend: bool = True
    show_scale: bool = True
    show_north: bool = True
    show_sources: bool = True
    show_attribution: bool = True
    show_created: bool = True
    show_facts: bool = False
    banner_text: str = ""
    banner_colour: str = "#007A33"
    banner_text_colour: str = "#FFFFFF"
    hidden_groups: tuple[str, ...] = ()
    created_utc: datetime | None = None
    interactive: bool = False  # the HTML export keeps zoom, pan and popups
    history: dict[str, Any] | None = None  # the launch history layer (viewer.export.history.page_layer)
    extra_sources: tuple[str, ...] = ()  # credits of what is drawn besides the scenario (the history's)
    # [start, end] UTC: features and facts with a time outside it are left out, and the briefing says so
    time_window: tuple[datetime, datetime] | None = None

    def checked(self) -> "BriefingOptions":
        for name in ("banner_colour", "banner_text_colour"):
            if not _COLOUR_RE.match(getattr(self, name) or ""):
                raise BriefingError(f"{name.replace('_', ' ')} {getattr(self, name)!r}: use #RRGGBB")
        if len(self.banner_text) > 200:
            raise BriefingError("banner text: at most 200 characters")
        return self


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    width: float
    height: float

    def scaled(self, k: float) -> "Rect":
        return Rect(self.left * k, self.top * k, self.width * k, self.height * k)

    def as_dict(self) -> dict[str, float]:
        return {"left": round(self.left, 3), "top": round(self.top, 3), "width": round(self.width, 3),
                "height": round(self.height, 3)}


@dataclass(frozen=True)
class Layout:
    """Where each part sits, in CSS px (multiply by ``zoom`` for device pixels)."""

    size: ExportSize
    type: Typography
    css_width: float
    css_height: float
    banner_top: Rect | None
    banner_bottom: Rect | None
    title: Rect | None
    subtitle: Rect | None
    frame: Rect
    sources: Rect | None
    credits: Rect | None
    sources_lines: int = 1

    @property
    def zoom(self) -> float:
        return self.size.zoom

    def device(self, rect: Rect) -> Rect:
        return rect.scaled(self.zoom)


@dataclass
class Briefing:
    html: str
    layout: Layout
    config: dict[str, Any] = field(default_factory=dict)
    # its basemap's tiles come from a tile package or an online layer: they can come after the
    # page says it is drawn (a capture compares its frame with them: viewer/ui/capture.py)
    late_tiles: bool = False
    # the features batch the page fetches from compose's ``features_at`` (None: the page holds them)
    batch: bytes | None = None


# ----------------------------------------------------------------------------- texts
def dtg(t: datetime) -> str:
    """Date-time group, e.g. ``162350Z JAN 22``."""
    t = t.astimezone(timezone.utc)
    return f"{t.day:02d}{t.hour:02d}{t.minute:02d}Z {_MONTHS[t.month - 1]} {t.year % 100:02d}"


def event_time_text(scenario: Scenario) -> str:
    """``Launch 162350Z JAN 22 (08:50 KST 17 Jan 2022)``; empty without an event time."""
    t = scenario.event_time_utc
    if t is None:
        return ""
    word = "Launch" if any(f.role == "launch" for f in scenario.features) else "Event"
    text = f"{word} {dtg(t)}"
    if scenario.local_time is not None:
        try:  # (the offset and name the map's zone keeps at the event: EST in January, EDT in July)
            local, zone = scenario.local_time.local(t)
        except OverflowError:  # past the calendar's end in local time: UTC only
            return text
        text += f" ({local:%H:%M} {zone} {local.day} {local:%b %Y})"
    return text


def default_subtitle(scenario: Scenario) -> str:
    parts = [p for p in (event_time_text(scenario), scenario.subtitle) if p]
    return " \u2014 ".join(parts)


def created_text(created: datetime) -> str:
    return f"Map created {created.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def hidden_layers(layers: list[dict[str, Any]]) -> tuple[str, ...]:
    """The ids of the layers an arrangement keeps hidden (a briefing's ``hidden_groups``)."""
    return tuple(x["id"] for x in layers if not x.get("visible", True))


def visible_features(drawn: list[layer_mod.DrawnFeature], hidden_groups) -> list[layer_mod.DrawnFeature]:
    hidden = set(hidden_groups)
    return [d for d in drawn if d.group not in hidden]


def shown_facts(scenario: Scenario, drawn: list[layer_mod.DrawnFeature], hidden_groups) -> list:
    """Facts about the features on the map and the map's own (about no feature), in file order; not
    those about a feature the briefing leaves out (a hidden layer's)."""
    ids = {d.id for d in visible_features(drawn, hidden_groups)}
    return [f for f in scenario.facts if f.feature is None or f.feature in ids]


def source_names(scenario: Scenario, drawn: list[layer_mod.DrawnFeature], hidden_groups) -> list[str]:
    """Distinct sources of the facts shown, then those of the features shown that the facts do not
    name already (a source's "A; B" counts as two), first-seen order. A drafted fact's source
    quotes the article's words after its name ("JCS (“the Sunan area”)") and names the list its
    place came from ("place: CNS ..."): each is its source's name alone. A feature's is named
    without what follows its name in brackets ("Wikipedia (de), bridge coordinates": Wikipedia),
    and not where a fact's source has that name already ("Japan Ministry of Defense (direction)"
    beside the facts' "Japan Ministry of Defense (Nobuo Kishi)")."""
    seen: dict[str, None] = {}
    for fact in shown_facts(scenario, drawn, hidden_groups):
        for part in fact.source.split(";"):
            part = _source_name(part)
            if part:
                seen.setdefault(scenario.source_citation(part), None)
    named = {_before_brackets(name) for name in seen}
    for source in dict.fromkeys(d.source for d in visible_features(drawn, hidden_groups)):
        for part in source.split(";"):
            part = _before_brackets(_source_name(part))
            if part and part not in named:
                named.add(part)
                seen.setdefault(scenario.source_citation(part), None)
    return list(seen)


def _source_name(part: str) -> str:
    part = _QUOTED_WORDS.sub("", part).strip()
    if part.startswith("place:"):
        part = part[len("place:"):].strip()
    if part.startswith("SitMap"):
        part = SITMAP_SOURCE  # SitMap's own calculations: one entry, not one per formula
    return part


def _before_brackets(name: str) -> str:
    return name.split(" (", 1)[0].strip() if not name.startswith("SitMap") else name


SITMAP_SOURCE = "SitMap calculations (geodesic, WGS84)"
_QUOTED_WORDS = re.compile("\\s*\\(\u201c[^\u201d]*\u201d\\)\\s*$")  # (a name's quoted words, at its end)


def sources_text(names: list[str]) -> str:
    return ("Sources: " + "; ".join(names) + ".") if names else ""


# ----------------------------------------------------------------------------- layout
def _text_lines(text: str, font_px: float, width: float) -> int:
    """Lines a paragraph needs; Noto Sans averages about 0.53 em per character."""
    if not text:
        return 0
    return max(1, math.ceil(len(text) * 0.53 * font_px / max(1.0, width)))


def make_layout(size: ExportSize, *, banner: bool, title: bool, subtitle: bool, sources: str,
                credits: bool) -> Layout:
    t = PRINT if size.style == "print" else SLIDE
    W, H = size.css_size
    m = t.margin
    top = 0.0
    banner_top = banner_bottom = None
    if banner:
        banner_top = Rect(0, 0, W, t.banner_bar)
        banner_bottom = Rect(0, H - t.banner_bar, W, t.banner_bar)
        top = t.banner_bar
    bottom = H - (t.banner_bar if banner else 0.0)
    y = top + m * 0.6
    title_r = subtitle_r = None
    if title:
        title_r = Rect(m, y, W - 2 * m, t.title * 1.2)
        y += title_r.height
    if subtitle:
        subtitle_r = Rect(m, y, W - 2 * m, t.subtitle * 1.35)
        y += subtitle_r.height
    frame_top = y + m * (0.45 if (title or subtitle) else 0.0)
    line = t.footer * 1.35
    n_sources = min(4, _text_lines(sources, t.footer, W - 2 * m))
    footer_h = line * (n_sources + (1 if credits else 0))
    y_foot = bottom - m * 0.5 - footer_h
    sources_r = Rect(m, y_foot, W - 2 * m, line * n_sources) if n_sources else None
    credits_r = Rect(m, y_foot + line * n_sources, W - 2 * m, line) if credits else None
    frame_bottom = y_foot - m * (0.4 if footer_h else 0.0) if footer_h else bottom - m * 0.6
    frame = Rect(m, frame_top, W - 2 * m, max(40.0, frame_bottom - frame_top))
    return Layout(size, t, W, H, banner_top, banner_bottom, title_r, subtitle_r, frame, sources_r, credits_r,
                  n_sources or 1)


def _fmt(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") + "px"


def layout_css(layout: Layout, opts: BriefingOptions) -> str:
    """Only numbers and checked colours: nothing from the scenario goes into CSS."""
    t, f = layout.type, layout.frame
    return (
        ":root{"
        f"--b-banner-h:{_fmt(t.banner_bar)};--b-banner-fs:{_fmt(t.banner_text)};"
        f"--b-title-fs:{_fmt(t.title)};--b-subtitle-fs:{_fmt(t.subtitle)};--b-legend-fs:{_fmt(t.legend)};"
        f"--b-scale-fs:{_fmt(t.scale)};--b-north:{_fmt(t.north)};--b-footer-fs:{_fmt(t.footer)};"
        f"--b-facts-fs:{_fmt(t.facts)};--b-margin:{_fmt(t.margin)};"
        f"--b-banner-bg:{opts.banner_colour};--b-banner-fg:{opts.banner_text_colour};}}\n"
        f"@page{{size:{_fmt(layout.css_width)} {_fmt(layout.css_height)};margin:0}}\n"
        # The page is the composition's size whatever the window: the HTML export too.
        f"html,body.sitmap-briefing{{width:{_fmt(layout.css_width)}!important;height:{_fmt(layout.css_height)}!important}}\n"
        "body.sitmap-briefing .folium-map{position:absolute!important;"
        f"left:{_fmt(f.left)}!important;top:{_fmt(f.top)}!important;width:{_fmt(f.width)}!important;"
        f"height:{_fmt(f.height)}!important}}\n"
    )


# ----------------------------------------------------------------------------- the page
FACTS_GIVEN = 8  # facts a briefing's facts box lists at most (the rest counted: "N more facts not shown")


def briefing_config(scenario: Scenario, drawn: list[layer_mod.DrawnFeature], opts: BriefingOptions,
                    layout: Layout, attribution: str, created: datetime, listed: list[str]) -> dict[str, Any]:
    """The page's briefing configuration; ``listed``: the sources' names (:func:`source_names`, as
    the layout counted their lines)."""
    title = scenario.title if opts.title is None else opts.title
    subtitle = default_subtitle(scenario) if opts.subtitle is None else opts.subtitle
    notes = list(opts.extra_sources) if opts.show_sources else []
    names = listed + notes
    credits = []
    if opts.show_attribution and attribution:
        credits.append(attribution)
    if opts.show_attribution:
        credits.append("Map: SitMap, Leaflet; geodesics on WGS84")
    if opts.show_created:
        credits.append(created_text(created))
    facts = []
    facts_more = 0  # (the shown facts past the box's first FACTS_GIVEN: counted in it, not listed)
    if opts.show_facts:
        shown = shown_facts(scenario, drawn, opts.hidden_groups)
        for fact in shown[:FACTS_GIVEN]:
            facts.append({"label": fact.label, "value": scenario.fact_display_value(fact), "status": fact.status})
        facts_more = max(0, len(shown) - FACTS_GIVEN)

    def rect(r: Rect | None):
        return r.as_dict() if r is not None else None

    return {
        "title": title if opts.show_title else "",
        "subtitle": subtitle if opts.show_subtitle else "",
        "banner": opts.banner_text.strip().upper(),
        "sources": sources_text(names),
        # (the sources' names, which the page cuts from the end where they need more lines than
        # the box has, and the notes after them, never cut: briefing.js fitSources)
        "sourceParts": {"names": listed, "notes": notes},
        "credits": " \u00b7 ".join(credits),
        "legend": opts.show_legend,
        "scale": opts.show_scale,
        "north": opts.show_north,
        "facts": facts,
        "factsMore": facts_more,
        "hiddenGroups": list(opts.hidden_groups),
        "interactive": opts.interactive,
        "pixelRatio": layout.zoom,  # (the basemap draws tiles a fractional zoom enlarges finer still)
        "zoomSnap": 0.25,
        "layout": {"width": round(layout.css_width, 3), "height": round(layout.css_height, 3),
                   "zoom": layout.zoom, "frame": rect(layout.frame), "bannerTop": rect(layout.banner_top),
                   "bannerBottom": rect(layout.banner_bottom), "title": rect(layout.title),
                   "subtitle": rect(layout.subtitle), "sources": rect(layout.sources),
                   "credits": rect(layout.credits)},
    }


BRIEFING_LEGEND_JS = "js/briefing_legend.js"  # (where the legend goes; loaded before briefing.js)
BRIEFING_JS = "js/briefing.js"
BRIEFING_READING_JS = "js/briefing_reading.js"  # (what the page tells the exporter and tests)
BRIEFING_CSS = "css/briefing.css"


def briefing_layout(scenario: Scenario, size: ExportSize, opts: BriefingOptions | None = None, *,
                    drawn: list[layer_mod.DrawnFeature] | None = None) -> Layout:
    """The layout :func:`compose` gives the briefing, without making its page (100,000 features
    written into a page only to measure the frame took a briefing's HTML export 2 s)."""
    return _framed(scenario, size, opts, drawn)[4]


def beyond_the_projection(drawn) -> str:
    """What the picture says of features past the map's projection (Web Mercator ends at 85.05
    degrees north and south: they are drawn at its edge, and a ring round a pole as a line along
    it), or ""."""
    from viewer.model.mercator import MAX_LAT

    def past(v) -> bool:
        if not isinstance(v, (list, tuple)) or not v:
            return False
        if isinstance(v[0], (int, float)):
            return abs(float(v[0])) > MAX_LAT
        return any(past(x) for x in v)

    n = sum(1 for d in drawn if past(d.latlngs))
    if not n:
        return ""
    return (f"{n:,} feature(s) lie beyond 85\u00b0 north or south, past the map's projection: drawn at its edge, "
            "not where they are")


def _framed(scenario: Scenario, size: ExportSize, opts: BriefingOptions | None,
            drawn: list[layer_mod.DrawnFeature] | None):
    """(scenario, drawn, opts, window statement, layout, sources' names) of a briefing: the
    scenario and its drawn features within the options' time window (which the sources then
    state), the layout, and the names of the sources it lists (:func:`source_names`)."""
    opts = (opts or BriefingOptions()).checked()
    window_statement = ""
    if opts.time_window is not None:
        from viewer.model.time_window import in_window

        shown = in_window(scenario, opts.time_window)
        scenario, window_statement = shown.scenario, shown.statement()
        if drawn is not None:
            keep = {f.id for f in scenario.features}
            drawn = [d for d in drawn if d.id in keep]
        opts = replace(opts, extra_sources=tuple(opts.extra_sources) + (window_statement,))
    if drawn is None:
        drawn = layer_mod.draw_scenario(scenario)
    beyond = beyond_the_projection(visible_features(drawn, opts.hidden_groups))
    if beyond:
        opts = replace(opts, extra_sources=tuple(opts.extra_sources) + (beyond,))
    title = scenario.title if opts.title is None else opts.title
    subtitle = default_subtitle(scenario) if opts.subtitle is None else opts.subtitle
    listed = source_names(scenario, drawn, opts.hidden_groups) if opts.show_sources else []
    names = listed + list(opts.extra_sources) if opts.show_sources else []
    layout = make_layout(size, banner=bool(opts.banner_text.strip()), title=bool(opts.show_title and title),
                         subtitle=bool(opts.show_subtitle and subtitle), sources=sources_text(names),
                         credits=opts.show_attribution or opts.show_created)
    return scenario, drawn, opts, window_statement, layout, listed


def compose(scenario: Scenario, size: ExportSize, opts: BriefingOptions | None = None, *,
            drawn: list[layer_mod.DrawnFeature] | None = None, asset_base: str | None = None,
            basemap_url: str | None = None, attribution: str = "", with_channel: bool = True,
            created: datetime | None = None, extra_config: dict[str, Any] | None = None,
            package: dict[str, Any] | None = None, online: dict[str, Any] | None = None,
            frame_tiles=None, label_fonts: tuple[str, ...] | None = None,
            features_at: str | None = None) -> Briefing:
    """The briefing page for ``scenario`` at ``size``.

    ``features_at``: where a page of many features (page.INLINE_BATCH_FROM or more) fetches their
    batch from (a sitmap://app/data/ address), given as the Briefing's ``batch`` for the caller to
    serve there, instead of holding it (megabytes the page's HTML parser would go through).

    ``frame_tiles(z, x, y) -> bytes``: the built-in basemap's tiles (their JSON), of which the page
    then carries those of its frame and draws them at once, instead of asking for each in turn
    (with a tile package or an online layer shown, the page asks as always). ``label_fonts``: the
    basemap's label fonts to name (PageOptions; None: all)."""
    from viewer.render.page import APP_BASE, INLINE_BATCH_FROM, PageOptions, build_page, features_batch, safe_json

    scenario, drawn, opts, window_statement, layout, listed = _framed(scenario, size, opts, drawn)
    fetched = features_at is not None and len(drawn) >= INLINE_BATCH_FROM
    created = created or opts.created_utc or datetime.now(timezone.utc)
    base = APP_BASE if asset_base is None else asset_base
    page_opts = PageOptions(asset_base=base, basemap_url=(base + "basemap/{z}/{x}/{y}.json") if basemap_url is None
                            else basemap_url, basemap_attribution=attribution, with_channel=with_channel,
                            online_layers=online is not None, online_specs=[online] if online else [],
                            start_online=online["name"] if online else "", interactive=opts.interactive,
                            package=package, history=opts.history, label_fonts=label_fonts,
                            features_url=features_at if fetched else None)
    html = build_page(scenario, drawn, page_opts)
    config = briefing_config(scenario, drawn, opts, layout, attribution, created, listed)
    config["timeWindow"] = window_statement  # stated in the facts box (and the sources line)
    config["factsBox"] = opts.show_facts
    if extra_config:
        config.update(extra_config)
    if config.get("frameMark"):
        config["frameMark"] = frame_mark_colour(opts)
    carried = None
    if frame_tiles is not None and page_opts.basemap_url and package is None and online is None:
        carried = _frame_tiles(scenario, drawn, layout, frame_tiles)
        if carried is not None:
            # (a token no text of the map can hold: a title of the fixed token's text once stopped the export)
            import secrets

            token = f"{FRAME_TILES_TOKEN}{secrets.token_hex(16)}"
            config["frameTiles"] = token
    config_json = safe_json(config)
    if carried is not None:
        from viewer.export.frame_view import place_tiles

        config_json = place_tiles(config_json, token, carried)
    head = (
        f'    <link rel="stylesheet" href="{base}{BRIEFING_CSS}"/>\n'
        f"    <style>{layout_css(layout, opts)}</style>\n"
        f'    <script type="application/json" id="sitmap-briefing-config">{config_json}</script>\n'
        f'    <script src="{base}{BRIEFING_LEGEND_JS}"></script>\n'
        f'    <script src="{base}{BRIEFING_JS}"></script>\n'
        f'    <script src="{base}{BRIEFING_READING_JS}"></script>\n'
    )
    if "</head>" not in html:
        raise BriefingError("the map page has no head")
    html = html.replace("</head>", head + "</head>", 1)
    # (a page the app captures shows its mark from its first frame: resources/js/briefing.js markFrame)
    mark = (f'<div class="sitmap-briefing-frame-mark" style="background:{config["frameMark"]}"></div>'
            if config.get("frameMark") else "")
    html = html.replace("<body>", '<body class="sitmap-briefing">' + mark, 1)
    html = html.replace("<title>SitMap</title>", "<title>SitMap briefing</title>", 1)
    return Briefing(html, layout, config, late_tiles=package is not None or online is not None,
                    batch=features_batch(drawn) if fetched else None)


# The colours of the mark a briefing the app captures shows in its top-left corner until the page is
# ready (resources/js/briefing.js markFrame, viewer/ui/capture.py), the first that the corner never
# has without it: not the top banner's, its text's, nor any blend of the two (a letter's edge).
FRAME_MARKS = ("#ff00fe", "#00fe01", "#0100ff")
_MARK_CLEARANCE = 48.0  # how far (in RGB) a mark's colour stays from every colour the corner may have


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """(red, green, blue) of a ``#RRGGBB`` colour."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def frame_mark_colour(opts: BriefingOptions) -> str:
    """The colour of the capture's corner mark for a briefing with these options."""
    if opts.banner_text.strip():  # (the top banner fills the corner)
        a, b = hex_rgb(opts.banner_colour), hex_rgb(opts.banner_text_colour)
    else:
        a = b = (255, 255, 255)  # the page
    for mark in FRAME_MARKS:
        m = hex_rgb(mark)
        ab = [y - x for x, y in zip(a, b)]
        length2 = sum(v * v for v in ab)
        t = 0.0 if not length2 else max(0.0, min(1.0, sum((mm - x) * v for mm, x, v in zip(m, a, ab)) / length2))
        if math.dist(m, [x + t * v for x, v in zip(a, ab)]) >= _MARK_CLEARANCE:
            return mark
    raise AssertionError("no mark colour clear of the corner's")  # (three far corners of the colour cube: cannot happen)


FRAME_TILES_TOKEN = "__sitmap_frame_tiles__"  # where the frame's tiles go into the page's config
MAX_FRAME_TILES = 64  # a larger frame's tiles are asked for one by one


def _frame_tiles(scenario: Scenario, drawn, layout, tile) -> dict[str, bytes] | None:
    """{"z/x/y": the tile's JSON} of the tiles the frame shows, or None (too many, or a tile that
    cannot be had: the page then asks for its tiles itself)."""
    from viewer.export.frame_view import frame_tiles

    keys = frame_tiles(layer_mod.view_of(scenario, drawn), layout.frame.width, layout.frame.height)
    if not keys or len(keys) > MAX_FRAME_TILES:
        return None
    try:
        return {f"{z}/{x}/{y}": tile(z, x, y) for z, x, y in keys}
    except (OSError, ValueError):
        return None


def with_size(opts: BriefingOptions, **changes) -> BriefingOptions:
    return replace(opts, **changes)
