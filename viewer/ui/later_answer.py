"""A sitmap: request answered later (its data, a tile built or fetched): the page may go before
then, and its request with it; a deleted request must not be touched."""

from __future__ import annotations

import shiboken6


class Pending:
    """A request (QWebEngineUrlRequestJob) kept to be answered later, and whether it still can be."""

    __slots__ = ("job", "_gone")

    def __init__(self, job):
        self.job = job
        self._gone = False
        job.destroyed.connect(lambda *_: setattr(self, "_gone", True))  # (first, before it is deleted)

    def live(self) -> bool:
        """Whether the request is still there to answer."""
        return not self._gone and shiboken6.isValid(self.job)
