"""What a draft is made of: items tied to their words, and what could not be resolved."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

DECISIONS = ("accepted", "edited", "rejected")

#: Kinds of drafted items, in the order the review pane lists them.
ITEM_KINDS = ("launch_site", "launch_time", "impact_time", "count", "system", "range", "apogee", "direction", "speed",
              "place", "distance", "statement_time", "statement")

#: What a drafted distance can be taken as in the review, and the label each gets: the range flown
#: (a ring, the flight path and the impact area), a capability (a ring), the apogee, or another distance
#: (a fact only).
DISTANCE_ROLES = {"range": "Range flown", "capability": "Possible range (capability)", "apogee": "Apogee",
                  "distance": "Distance mentioned"}


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

    @property
    def distance_role(self) -> str | None:
        """What this distance is taken as (a key of :data:`DISTANCE_ROLES`); None if it is not a distance."""
        if self.kind == "range":
            return "capability" if self.data.get("capability") else "range"
        if self.kind in ("apogee", "distance") and "metres" in self.data:
            return self.kind
        return None

    def as_distance(self, role: str) -> "DraftItem":
        """The same figure taken as another kind of distance (kept: the user chose it)."""
        if self.distance_role is None:
            raise ValueError(f"{self.label} is not a distance")
        if role not in DISTANCE_ROLES:
            raise ValueError(f"a distance is one of {', '.join(DISTANCE_ROLES)}")
        if role == self.distance_role:
            return self
        data = {k: v for k, v in self.data.items() if k != "capability"}
        if role == "capability":
            data["capability"] = True
        kind = "range" if role == "capability" else role
        return replace(self, kind=kind, label=DISTANCE_ROLES[role], data=data, decision="edited",
                       note=f"Taken as: {DISTANCE_ROLES[role].lower()} (drafted as: {self.label.lower()})")


@dataclass(frozen=True)
class Unresolved:
    """Words the drafter noticed but could not turn into a fact: shown to the user to resolve."""

    kind: str  # place, number, time, launch_site, date
    text: str
    span: tuple[int, int] | None
    why: str
    suggestions: tuple[Any, ...] = ()  # places with a similar name (viewer.model.place_index.Candidate)
