"""Getting an article's text: bytes or a saved web page reduced to plain text, safely.

A web page is parsed with the standard library's ``html.parser``: only its text is kept (script,
style, template and similar elements are dropped whole, nothing is run or fetched); block elements
become line breaks. The page's title and publication time (``<meta property="article:published_time">``,
``<time datetime>``) are kept aside because they date the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: Drafting reads texts up to this many characters (about 150,000 words); longer ones are refused.
MAX_CHARS = 1_000_000
MAX_BYTES = 4 * MAX_CHARS


class DraftInputError(ValueError):
    """Text that cannot be drafted; ``str()`` is one line for the user."""


@dataclass(frozen=True)
class ArticleText:
    text: str
    title: str = ""
    published: str = ""  # as the page gives it (ISO 8601 usually)
    from_html: bool = False


_SKIP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "head",
         "nav", "footer", "form", "button", "select", "textarea", "canvas", "video", "audio"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "header", "blockquote", "pre", "figcaption", "figure", "dd", "dt", "hr", "main", "aside"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "param",
         "track"}


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title: list[str] = []
        self.published = ""

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            prop = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if prop in ("article:published_time", "datepublished", "date", "pubdate", "dc.date",
                        "og:published_time", "publishdate", "sailthru.date") and not self.published:
                self.published = a.get("content", "")[:64]
        if tag == "time" and a.get("datetime") and not self.published:
            self.published = a["datetime"][:64]
        if tag == "title":
            self.in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth -= 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and tag not in _VOID and self.skip_depth > 0:
            self.skip_depth -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.skip_depth == 0:
            self.parts.append(data)


def text_from_html(page: str) -> ArticleText:
    """The readable text of a saved web page (no script runs, nothing is fetched)."""
    p = _TextOnly()
    try:
        p.feed(page)
        p.close()
    except (AssertionError, ValueError) as e:  # malformed markup the parser gives up on
        raise DraftInputError(f"the web page could not be read ({str(e)[:80]})") from None
    raw = "".join(p.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.split("\n")]
    text = "\n\n".join(line for line in lines if line)
    title = re.sub(r"\s+", " ", "".join(p.title)).strip()
    return ArticleText(text, title, p.published, True)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(p|div|body|article)\b[^>]*>", head))


def decode(raw: bytes, name: str = "the file") -> str:
    """Bytes of a text file as text; binary data and oversize files are refused with one line."""
    if len(raw) > MAX_BYTES:
        raise DraftInputError(f"{name} is {len(raw) / 1e6:.1f} MB; drafting reads articles up to "
                              f"{MAX_BYTES / 1e6:.0f} MB")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DraftInputError(f"{name} is not readable UTF-16 text") from None
    sample = raw[:8192]
    if b"\x00" in sample:
        raise DraftInputError(f"{name} looks like a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A saved page in a legacy encoding: Windows-1252 maps every byte; control bytes betray binary.
        text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise DraftInputError(f"{name} looks like a binary file, not text")
    return text


def clean(text: str) -> str:
    """Text as the drafter reads it: line ends unified, control characters (but tabs and line ends)
    and lone surrogates replaced by spaces so offsets stay one-to-one."""
    if len(text) > MAX_CHARS:
        raise DraftInputError(f"the text has {len(text):,} characters; drafting reads articles up to "
                              f"{MAX_CHARS:,} characters")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", " ", text)


def read_article(raw: bytes | str, name: str = "the article", *, as_html: bool | None = None) -> ArticleText:
    """Bytes or text of a plain-text article or saved web page, ready for drafting."""
    text = decode(raw, name) if isinstance(raw, (bytes, bytearray)) else str(raw)
    if len(text) > MAX_CHARS * 4:
        raise DraftInputError(f"{name} has {len(text):,} characters; drafting reads articles up to "
                              f"{MAX_CHARS:,} characters")
    if as_html or (as_html is None and looks_like_html(text)):
        art = text_from_html(text)
        return ArticleText(clean(art.text), art.title, art.published, True)
    return ArticleText(clean(text))
