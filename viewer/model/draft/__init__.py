"""Drafting a map from a news article, offline: places, numbers, times and who said what.

    from viewer.model.draft import draft_article
    d = draft_article(raw_bytes_or_text, article_date=date(2022, 1, 18))
    d.items          # drafted items, each with the character spans of its words
    d.unresolved     # what was noticed but not resolved
    d.scenario()     # the map from the accepted items (a viewer.model.scenario.Scenario)

What it can and cannot read is in docs/drafting.md. Qt-free; nothing is downloaded.
"""

from __future__ import annotations

from datetime import date

from viewer.model.draft.assemble import draft_text
from viewer.model.draft.to_map import DRAFT_MEMBER, Draft, draft_record, scenario_from_items, spec_from_items
from viewer.model.draft.items import DECISIONS, DISTANCE_ROLES, ITEM_KINDS, DraftItem, Unresolved
from viewer.model.draft.text import MAX_CHARS, ArticleText, DraftInputError, read_article, text_from_html

__all__ = [
    "DRAFT_MEMBER", "DECISIONS", "DISTANCE_ROLES", "ITEM_KINDS", "MAX_CHARS", "ArticleText", "Draft", "DraftInputError", "DraftItem",
    "Unresolved", "draft_article", "draft_record", "draft_text", "read_article", "scenario_from_items",
    "spec_from_items", "text_from_html",
]


def draft_article(raw: bytes | str, *, article_date: date | None = None, name: str = "the article",
                  as_html: bool | None = None, index=None) -> Draft:
    """Draft a map from an article's bytes or text (plain text or a saved web page).

    Raises :class:`DraftInputError` (one line) for input that is not text or is too large; an
    article with nothing to draft gives a draft with no items.
    """
    art = read_article(raw, name, as_html=as_html)
    return draft_text(art.text, article_date=article_date, title=art.title, published=art.published, index=index)
