"""The rows of a CSV after its header, as the CSV readers (points, WKT shapes) take them."""

from __future__ import annotations

import csv
from typing import Callable, Iterator

from viewer.model.io.common import Fail
from viewer.model.scenario import MAX_FEATURES


def data_rows(reader, header_no: int, fail: Fail, taken: Callable[[], int]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each row after the header that holds anything; a row past
    MAX_FEATURES taken (``taken()``), or one the csv module cannot read, refuses the file."""
    row_no = header_no
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            fail(f"row {row_no + 1}", f"not valid CSV ({e})")
        row_no += 1
        if not any(c.strip() for c in row):
            continue
        if taken() >= MAX_FEATURES:
            fail(f"row {row_no}", f"more than {MAX_FEATURES:,} rows")
        yield row_no, row
