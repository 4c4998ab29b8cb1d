"""File formats from other tools: readers lenient when a file is opened as a map (they say what
was left out), strict when it is imported into one; writers exact. One format per module."""
