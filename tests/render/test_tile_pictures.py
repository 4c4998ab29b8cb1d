"""The first tiles' pictures a cached page keeps: only well-formed pictures of the page's own tiles
are kept, only pictures drawn by the basemap's drawing code as it is are carried, they cannot end
their element in the page, and they go with their page."""

from __future__ import annotations

import base64
import json

import pytest

from viewer.render import tile_pictures
from viewer.render.page_cache import PICTURES_SUFFIX, PageCache
from viewer.render.tile_pictures import PICTURES_ID, carrying_pictures, clean_pictures, pictures_from, pictures_text

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"rest of a picture").decode("ascii")
GOOD = {"png": PNG, "skip": "010", "hid": "000", "w": 256, "h": 256, "ratio": 1}


def test_well_formed_pictures_of_the_pages_tiles_are_kept_and_nothing_else():
    given = {
        "5/27/12": GOOD,
        "5/27/13": dict(GOOD, ratio=1.5),
        "5/99/99": GOOD,  # not one of the page's tiles
        "../x": GOOD,
        "5/28/12": dict(GOOD, png="not base64!"),
        "5/28/13": dict(GOOD, png=base64.b64encode(b"GIF89a....").decode("ascii")),  # not a PNG
        "5/28/14": dict(GOOD, skip="01x"),
        "5/28/15": dict(GOOD, hid="00"),  # a flag for each label in both
        "5/29/12": dict(GOOD, w=True),
        "5/29/13": dict(GOOD, h=0),
        "5/29/14": dict(GOOD, ratio=-1),
        "5/29/15": dict(GOOD, w="256"),
        "5/30/12": "a picture",
        "5/30/13": {k: v for k, v in GOOD.items() if k != "hid"},
    }
    keys = {k for k in given if k != "5/99/99"}
    kept = clean_pictures(json.dumps(given), keys)
    assert kept == {"5/27/12": GOOD, "5/27/13": dict(GOOD, ratio=1.5)}
    assert clean_pictures("{not json", keys) == {} and clean_pictures("[1, 2]", keys) == {}
    many = {f"5/{x}/1": GOOD for x in range(100)}
    assert len(clean_pictures(json.dumps(many), set(many))) == tile_pictures.MAX_PICTURES


def test_pictures_are_carried_only_for_the_drawing_code_that_drew_them(monkeypatch):
    text = pictures_text({"5/27/12": GOOD})
    assert json.loads(pictures_from(text)) == {"5/27/12": GOOD}
    monkeypatch.setattr(tile_pictures, "drawing_code", lambda: "another drawing code")
    assert pictures_from(text) is None
    assert pictures_from("") is None


def test_pictures_cannot_end_their_element_and_come_before_the_scripts():
    html = '<html><head><title>t</title><script src="sitmap://app/js/sitmap-page.js"></script></head><body></body></html>'
    evil = json.dumps({"5/1/2": dict(GOOD, skip="</script><script>alert(1)</script><!-- &")})
    out = carrying_pictures(html, evil)
    assert out.count("</script>") == 2  # its own element's end and the script's
    head = out.split("<head>")[1]
    assert head.index(f'id="{PICTURES_ID}"') < head.index("sitmap-page.js")
    body = out.split(f'id="{PICTURES_ID}">')[1].split("</script>")[0]
    assert "<" not in body and json.loads(body) == json.loads(evil)
    assert carrying_pictures(html, None) == html and carrying_pictures(html, "") == html
    assert carrying_pictures("<html><body></body></html>", evil) == "<html><body></body></html>"


def test_the_cache_keeps_pictures_with_their_page_and_lets_them_go_with_it(tmp_path):
    cache = PageCache(tmp_path / "pages", keep=2)
    cache.put_pictures("a", {"5/27/12": GOOD})  # no page "a": nothing kept
    assert cache.pictures("a") is None and not list((tmp_path / "pages").glob("*"))
    cache.put("a", "<html><head></head></html>", [], {"5/27/12": "{}"})
    cache.put_pictures("a", {"5/27/12": GOOD})
    assert json.loads(cache.pictures("a")) == {"5/27/12": GOOD}
    cache.put_pictures("a", {})  # none: those kept go
    assert cache.pictures("a") is None
    cache.put_pictures("a", {"5/27/12": GOOD})
    (tmp_path / "pages" / f"b{PICTURES_SUFFIX}").write_text("not what the cache writes")
    assert cache.pictures("b") is None
    import os
    import time

    old = time.time() - 100
    os.utime(tmp_path / "pages" / "a.json", (old, old))
    cache.put("b", "<html><head></head></html>", [], {})
    cache.put("c", "<html><head></head></html>", [], {})  # three pages: the oldest goes, its pictures too
    assert not (tmp_path / "pages" / "a.json").exists()
    assert not (tmp_path / "pages" / f"a{PICTURES_SUFFIX}").exists()


@pytest.mark.parametrize("text", ["\ufffe", "x" * 10, "{}\n{}"])
def test_a_damaged_pictures_file_carries_nothing(tmp_path, text):
    cache = PageCache(tmp_path / "pages")
    cache.put("a", "<html><head></head></html>", [], {})
    (tmp_path / "pages" / f"a{PICTURES_SUFFIX}").write_text(text, encoding="utf-8")
    assert cache.pictures("a") is None


def test_the_page_as_served_with_its_pictures_is_kept_with_them_and_goes_with_them(tmp_path, monkeypatch):
    """With the pictures, the cache keeps the page as a start serves it (its tiles and their
    pictures inside it, its policy): the bytes the start would put together; not once the basemap's
    drawing code has changed, nor once the pictures or their page go."""
    from viewer.render.page_cache import PREPARED_SUFFIX, served_page

    cache = PageCache(tmp_path / "pages", keep=1)
    html = '<html><head><script>var a = 1;</script></head><body></body></html>'
    tiles = {"5/27/12": '{"z": 5}'}
    cache.put("a", html, [], tiles)
    assert cache.prepared("a") is None  # (no pictures yet: the start puts the page together)
    cache.put_pictures("a", {"5/27/12": GOOD})
    served = cache.prepared("a")
    assert served == served_page(html, tiles, cache.pictures("a"))
    text = served.decode("utf-8")
    assert "Content-Security-Policy" in text and PICTURES_ID in text and "sitmap-carried-tiles" in text
    monkeypatch.setattr(tile_pictures, "drawing_code", lambda: "another drawing code")
    assert cache.prepared("a") is None
    monkeypatch.undo()
    cache.put_pictures("a", {})
    assert cache.prepared("a") is None and not (tmp_path / "pages" / f"a{PREPARED_SUFFIX}").exists()
    cache.put_pictures("a", {"5/27/12": GOOD})
    assert cache.prepared("a") is not None
    import os
    import time

    old = time.time() - 100
    os.utime(tmp_path / "pages" / "a.json", (old, old))
    cache.put("b", html, [], {})  # (keep=1: page "a" goes, and all kept with it)
    assert not list((tmp_path / "pages").glob("a.*"))


def test_a_page_served_from_the_cache_is_the_page_put_together_at_a_start():
    """served_page is what MapView.load_page serves: the policy as AppSchemeHandler.set_page puts it."""
    from viewer.render.csp import with_csp
    from viewer.render.page_cache import carrying_tiles, served_page

    html = '<html><head><script>var a = 1;</script></head><body></body></html>'
    tiles = {"5/27/12": '{"z": 5}'}
    pictures = json.dumps({"5/27/12": GOOD})
    assert served_page(html, tiles, pictures) == with_csp(
        carrying_pictures(carrying_tiles(html, tiles), pictures), img_extra=()).encode("utf-8")


def test_the_drawing_code_is_both_the_tile_painter_and_the_layer(tmp_path, monkeypatch):
    """A change to either script that draws a tile (the painter, or the layer that says which of
    its labels are drawn) is another drawing code: no picture drawn before is shown again."""
    from viewer import resources

    real = resources.path
    before = tile_pictures.drawing_code()
    for name in tile_pictures.DRAWING_SCRIPTS:
        changed = tmp_path / name
        changed.write_bytes(real("js", name).read_bytes() + b"\n")
        monkeypatch.setattr(resources, "path", lambda *p, n=name, c=changed: c if p == ("js", n) else real(*p))
        tile_pictures.drawing_code.cache_clear()
        try:
            assert tile_pictures.drawing_code() != before, name
        finally:
            monkeypatch.setattr(resources, "path", real)
            tile_pictures.drawing_code.cache_clear()
    assert tile_pictures.drawing_code() == before
