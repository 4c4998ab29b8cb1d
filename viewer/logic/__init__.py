"""Qt-free editing logic: ids, selection, vertex edits and the drawing tools' state machine.
Sits between the model and everything drawn; tested with a fake view."""
