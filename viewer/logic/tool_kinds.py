"""The drawing tools: each one's name, keyboard shortcut and hint. A module of its own, so that the
window's tool bar lists them without importing the tools' geodesy (viewer.logic.tools)."""

TOOLS = {
    "marker": ("Marker", "M", "Click the map to place a marker."),
    "line": ("Line", "L", "Click to add points; double-click or Enter to finish; Esc cancels."),
    "area": ("Area", "A", "Click to add corners; double-click or Enter to finish; Esc cancels."),
    "label": ("Text Label", "T", "Click where the text goes."),
    "ring": ("Range Ring", "G", "Press at the centre and drag to the radius, or click the centre then click at the "
                                "radius (Tools > Add Range Ring types it)."),
    "measure": ("Measure", "D", "Click points of a path: each leg's distance and bearing and the running total; "
                                "double-click or Enter ends it and keeps it shown (Keep as Line makes it a line); Esc clears."),
}
