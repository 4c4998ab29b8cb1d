"""What a draft is made of: items tied to their words, and what could not be resolved."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

DECISIONS = ("accepted", "edited", "rejected")

#: Kinds of drafted items, in the order the review pane lists them.
ITEM_KINDS = ("launch_site", "launch_time", "count", "system", "range", "apogee", "direction", "speed",
              "place", "distance", "statement_time", "statement")


@dataclass(frozen=True)
class DraftItem:
    """One drafted fact or feature and the words it came from (character spans in the article)."""

    id: str
    kind: str  # one of ITEM_KINDS
    label: str
    value: str  # shown to the user; editable
    source: str
    status: str  # reported / claimed / derived / estimated
    spans: tuple[tuple[int, int], ...]
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    choices: tuple[Any, ...] = ()  # other candidates (places), best first
    decision: str = "accepted"
    note: str = ""

    def with_decision(self, decision: str) -> "DraftItem":
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
        return replace(self, decision=decision)

    @property
    def used(self) -> bool:
        return self.decision != "rejected"


@dataclass(frozen=True)
class Unresolved:
    """Words the drafter noticed but could not turn into a fact: shown to the user to resolve."""

    kind: str  # place, number, time, launch_site, date
    text: str
    span: tuple[int, int] | None
    why: str
    suggestions: tuple[Any, ...] = ()  # places with a similar name (viewer.model.place_index.Candidate)
