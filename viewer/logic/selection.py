"""Which features are selected: one primary (its handles and properties show) and the set
Shift+click builds."""

from __future__ import annotations


class Selection:
    def __init__(self) -> None:
        self.primary: str | None = None
        self.items: list[str] = []

    def select(self, fid: str | None) -> None:
        self.primary = fid
        self.items = [fid] if fid else []

    def toggle(self, fid: str) -> None:
        if fid in self.items:
            self.items.remove(fid)
            if self.primary == fid:  # (Shift+click took it out: nothing left of it to delete)
                self.primary = self.items[-1] if self.items else None
        else:
            self.items.append(fid)

    def clear(self) -> None:
        self.select(None)

    def chosen(self) -> list[str]:
        return list(self.items or ([self.primary] if self.primary else []))

    def prune(self, exists) -> None:
        """Forget ids that no longer exist (``exists(fid) -> bool``)."""
        self.items = [f for f in self.items if exists(f)]
        if self.primary and not exists(self.primary):
            self.primary = None
