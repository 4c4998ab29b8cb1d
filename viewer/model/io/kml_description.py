"""A KML placemark's description as SitMap reads it: the plain text of its HTML (line breaks kept,
scripts dropped), and a SitMap placemark's notes without the lines SitMap adds after them (its
facts' list, source and status)."""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

from viewer.model.io.kml_write import FACTS_HEADING


class _HtmlText(HTMLParser):
    """Plain text of an HTML fragment: <br> and block ends become new lines, scripts are dropped, a
    link's web or mail address follows its text."""

    _BLOCK = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[tuple[str | None, int]] = []  # (each open <a>: its address, where its text begins)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "a":
            href = next((v for k, v in attrs if k == "href" and isinstance(v, str)), None)
            self.links.append((href.strip() if href and _LINK_SCHEMES.match(href.strip()) else None, len(self.parts)))
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "td" or tag == "th":
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.links:
            # a link's address after its text, where the text does not say it ("Hi (https://...)"):
            # a source's page, kept as text
            href, start = self.links.pop()
            shown = "".join(self.parts[start:]).strip()
            if href and href not in shown and not self.skip:
                self.parts.append(f" ({href})" if shown else href)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


_LINK_SCHEMES = re.compile(r"^(?:https?|ftp|mailto):", re.IGNORECASE)


@lru_cache(maxsize=4096)  # (a large map's placemarks share a few: "Source: ...<br>Status: ...")
def html_to_text(fragment: str) -> str:
    try:
        return _text_of(fragment)
    except AssertionError:  # (Python's HTML parser, before 3.13, on a marked section it cannot name: "<![ ")
        return _text_of(fragment.replace("<!", "&lt;!"))  # (each "<!" kept as text: there is none left to parse)


def _text_of(fragment: str) -> str:
    p = _HtmlText()
    p.feed(fragment)
    p.close()
    return "".join(p.parts)


def notes_of_description(description: str, source: str | None, status: str | None) -> str:
    """The notes a SitMap placemark's description (HTML) holds, without the source and status lines
    after them (another tool's copy of its fields: :mod:`viewer.model.io.kml_columns`)."""
    return split_description(html_to_text(description), source, status).strip(" \t\r\n")


def split_description(text: str, source: str | None, status: str | None, facts: int = 0) -> str:
    """Notes without the 'Source: ...' / 'Status: ...' lines SitMap appends, nor the list of the
    feature's ``facts`` before them (the document carries the facts themselves)."""
    lines = text.split("\n")
    if status is not None and lines and lines[-1] == f"Status: {status}":
        lines.pop()
        said = f"Source: {source}".replace("\r\n", "\n").replace("\r", "\n").split("\n") if source else []
        if said and lines[-len(said):] == said:  # (a source of several lines: each a line)
            del lines[-len(said):]
        if lines and lines[-1] == "":
            lines.pop()
        if facts and len(lines) > facts and lines[-facts - 1] == FACTS_HEADING:  # (a fact's text is one line)
            del lines[-facts - 1:]
            if lines and lines[-1] == "":
                lines.pop()
    return "\n".join(lines)
