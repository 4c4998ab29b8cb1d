"""Editing the facts, their groups and the map's sources from the Facts tab. Each change is one
model command through the editor: checked by the file reader's rules, undoable, saved and
recovered like any other. A dialog whose values are refused stays open and says why."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QInputDialog, QMessageBox

from viewer.model import edits
from viewer.model.rules import ScenarioError
from viewer.model.scenario import Fact

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class FactsEditor:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.dialog = None  # the fact dialog open now, for the window's "pick on map"

    @property
    def doc(self):
        return self.window.doc

    def _checked(self, command, show_error: Callable[[str], None]) -> bool:
        """Check first so a refused dialog can stay open with the reason; then apply (undoable)."""
        try:
            self.doc.check(command)
        except ScenarioError as e:
            show_error(str(e))
            return False
        return self.window.editor.apply(command)

    def _apply_together(self, text: str, commands: list, show_error: Callable[[str], None]) -> bool:
        """Several commands as one undo step, each checked before any is applied (the first refusal
        is shown and nothing changes)."""
        try:
            for command in commands:
                self.doc.check(command)
        except ScenarioError as e:
            show_error(str(e))
            return False
        stack = self.window.undo_stack
        stack.beginMacro(text)
        try:
            for command in commands:
                self.window.editor.apply(command)
        finally:
            stack.endMacro()
        return True

    def _new_fact_id(self) -> str:
        taken = {f.id for f in self.doc.facts}
        n = len(taken) + 1
        while f"fact-{n}" in taken:
            n += 1
        return f"fact-{n}"

    # ------------------------------------------------------------------ facts
    def add_fact(self, feature: str | None = None, group: str | None = None):
        from viewer.ui.fact_dialog import FactDialog

        dlg = FactDialog(self.doc.scenario, None, self._new_fact_id(), self.window, feature=feature, group=group)
        return self._open(dlg, None)

    def edit_fact(self, fact_id: str):
        from viewer.ui.fact_dialog import FactDialog

        fact = next((f for f in self.doc.facts if f.id == fact_id), None)
        if fact is None:
            return None
        return self._open(FactDialog(self.doc.scenario, fact, fact.id, self.window), fact)

    def _open(self, dlg, old: Fact | None):
        def accepted() -> None:
            fact = dlg.fact()
            facts = list(self.doc.facts)
            at = next((k for k, f in enumerate(facts) if old is not None and f.id == old.id), None)
            if at is not None and facts[at] == fact:  # OK with nothing changed: no undo step, nothing to save
                self.dialog = None
                return
            if at is None:  # a new fact (or one an undo took away while the dialog was open: back again)
                facts.append(fact)
            else:
                facts[at] = fact
            text = f"Add fact {fact.label}" if at is None else f"Edit fact {fact.label}"
            new_group = dlg.group_label()
            commands = ([edits.SetMeta("Add group", groups=list(self.doc.scenario.groups) + [new_group])]
                        if new_group else []) + [edits.SetFacts(facts, text)]
            moved = self._event_time_after(old, fact)
            if moved is not None:  # (the launch's time corrected: the map's event time, and its briefings, follow)
                commands.append(edits.SetMeta("Event time", event_time_utc=moved))
            if not self._apply_together(text, commands, dlg.show_error):  # (a refused fact adds no group)
                dlg.open()  # stays on screen with the reason
                return
            self.dialog = None
            self.window.facts.show_fact(fact.id)

        dlg.accepted.connect(accepted)
        dlg.rejected.connect(lambda: setattr(self, "dialog", None) if not dlg.picking else None)
        dlg.pickRequested.connect(lambda: self._pick(dlg))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _event_time_after(self, old: Fact | None, fact: Fact):
        """The map's new event time when ``fact``, a fact about its launch whose first time was the
        event time, now gives another; else None (the analyst's own event time stays)."""
        from viewer.model.history import scenario_launch

        s = self.doc.scenario
        where = scenario_launch(s)
        if old is None or where is None or fact.feature != where.feature_id or not old.time_utc or not fact.time_utc:
            return None
        first, now = min(old.time_utc), min(fact.time_utc)
        return now if s.event_time_utc == first and now != first else None

    def _pick(self, dlg) -> None:
        """Hide the dialog; the next feature clicked on the map becomes the fact's feature."""
        dlg.hide()
        self.window.statusBar().showMessage("Click the feature this fact is about (Esc: back to the fact).", 0)

    def back_to_dialog(self) -> bool:
        """Esc while a fact dialog waits for a feature: the dialog again, as it was."""
        dlg = self.dialog
        if dlg is None or not dlg.picking:
            return False
        dlg.picking = False
        dlg.open()
        self.window.statusBar().clearMessage()
        return True

    def close_dialog(self) -> None:
        """Another map replaces this one: a fact dialog open on it (or waiting for a feature) goes."""
        dlg, self.dialog = self.dialog, None
        if dlg is not None:
            dlg.picking = False
            dlg.reject()
            self.window.statusBar().clearMessage()

    def feature_picked(self, fid: str) -> bool:
        """The window's feature click, while a fact dialog waits for one."""
        dlg = self.dialog
        if dlg is None or not dlg.picking:
            return False
        dlg.picking = False
        dlg.set_feature(fid)
        dlg.open()
        self.window.statusBar().clearMessage()
        return True

    def delete_facts(self, ids: list[str]) -> bool:
        ids = [i for i in ids if any(f.id == i for f in self.doc.facts)]
        if not ids:
            return False
        facts = [f for f in self.doc.facts if f.id not in set(ids)]
        return self.window.editor.apply(edits.SetFacts(facts, f"Delete {len(ids)} fact(s)"))

    def move_fact(self, fact_id: str, step: int) -> bool:
        """Up or down within its group (the panel lists facts by group, in file order)."""
        facts = list(self.doc.facts)
        i = next((k for k, f in enumerate(facts) if f.id == fact_id), None)
        if i is None:
            return False
        same = [k for k, f in enumerate(facts) if f.group == facts[i].group]
        pos = same.index(i) + step
        if not 0 <= pos < len(same):
            return False
        j = same[pos]
        facts[i], facts[j] = facts[j], facts[i]
        return self.window.editor.apply(edits.SetFacts(facts, "Move fact"))

    # ------------------------------------------------------------------ groups
    def add_group(self, label: str | None = None) -> str | None:
        from viewer.ui.fact_dialog import new_group_id

        if label is None:
            label, ok = QInputDialog.getText(self.window, "Add Group", "Name of the new group of facts:")
            if not ok:
                return None
        label = label.strip()
        if not label:
            self.window.statusBar().showMessage("A group needs a name.", 6000)
            return None
        gid = new_group_id(label, [g for g, _ in self.doc.scenario.groups] + [f.group for f in self.doc.facts])
        if self.window.editor.apply(edits.SetMeta("Add group", groups=list(self.doc.scenario.groups) + [(gid, label)])):
            return gid
        return None

    def rename_group(self, gid: str, label: str | None = None) -> bool:
        s = self.doc.scenario
        if label is None:
            label, ok = QInputDialog.getText(self.window, "Rename Group", "Name:", text=s.group_label(gid))
            if not ok:
                return False
        label = label.strip()
        if label == s.group_label(gid):
            return False  # the name it has: no undo step, nothing to save
        groups = list(s.groups)
        if any(g == gid for g, _ in groups):
            groups = [(g, label if g == gid else lbl) for g, lbl in groups]
        else:
            groups.append((gid, label))
        return self.window.editor.apply(edits.SetMeta("Rename group", groups=groups))

    def delete_group(self, gid: str) -> bool:
        """Only an empty group goes (its facts would have nowhere to be listed)."""
        if any(f.group == gid for f in self.doc.facts):
            QMessageBox.information(self.window, "Delete Group", "Move or delete the group's facts first.")
            return False
        return self.window.editor.apply(edits.SetMeta("Delete group",
                                                      groups=[g for g in self.doc.scenario.groups if g[0] != gid]))

    # ------------------------------------------------------------------ sources
    def edit_sources(self):
        from viewer.ui.sources_dialog import SourcesDialog

        s = self.doc.scenario
        dlg = SourcesDialog(s.sources_list, s.sources(), self.window)

        def accepted() -> None:
            renamed = dlg.renamed()  # (the facts that cite a renamed source cite its new name)
            sources = dlg.sources()
            if sources == list(self.doc.scenario.sources_list) and not renamed:
                return  # OK with nothing changed: no undo step, nothing to save
            commands = [edits.SetMeta("Edit sources", sources_list=sources)]
            if renamed:
                commands.append(edits.SetFacts([dataclasses.replace(f, source=renamed[f.source])
                                                if f.source in renamed else f for f in self.doc.facts],
                                               "Rename sources"))
            if not self._apply_together("Edit sources", commands, dlg.show_error):
                dlg.open()

        dlg.accepted.connect(accepted)
        dlg.open()
        return dlg

