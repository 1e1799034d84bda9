"""XLSX exports: pages of rows written to a workbook on disk, a page at a time, in a
worker thread (XlsxWriter's ``constant_memory`` mode keeps one row in memory, so a large
export costs disk, not the gateway's memory, and the event loop keeps serving).

Cells are typed from each column's declared type: amounts, counts and other numbers as
numbers with Indian digit grouping (12,34,567.00), dates as dates shown DD-MM-YYYY,
yes/no as booleans, everything else as text (written as text, so a value starting with
``=`` is never read as a formula). A second sheet lists every column with its type and
its English and Hindi label. XlsxWriter is chosen because it writes rows in order to a
file without holding the workbook (openpyxl's write-only mode does too, but is larger
and slower for the same rows) and is pure Python."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import xlsxwriter
from anyio import to_thread

NUMERIC = ("count", "amount", "amount_lakh", "percent", "number")
# Indian grouping: crores and lakhs before the last three digits.
_INDIAN = r"[>=10000000]##\,##\,##\,##0{d};[>=100000]##\,##\,##0{d};##,##0{d}"
FORMATS = {
    "amount": _INDIAN.format(d=".00"),
    "amount_lakh": _INDIAN.format(d=".00"),
    "count": _INDIAN.format(d=""),
    "number": "General",
    "percent": "0.00",
    "date": "dd-mm-yyyy",
}
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowsWorkbook:
    """One sheet of rows under a header of column ids, and a sheet describing them."""

    def __init__(self, sheet: str, described: list[dict[str, str]]):
        handle, self.path = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
        os.close(handle)
        self._book = xlsxwriter.Workbook(self.path, {
            "constant_memory": True, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False})
        self._types = [c.get("type", "text") for c in described]
        self._formats = {kind: self._book.add_format({"num_format": spec})
                         for kind, spec in FORMATS.items()}
        bold = self._book.add_format({"bold": True})
        self._rows = self._book.add_worksheet(sheet[:31])
        self._rows.freeze_panes(1, 0)
        self._rows.write_row(0, 0, [c["id"] for c in described], bold)
        self._next = 1
        about = self._book.add_worksheet("Columns")
        about.write_row(0, 0, ["column", "type", "English", "हिन्दी"], bold)
        for i, column in enumerate(described, start=1):
            about.write_row(i, 0, [column["id"], column.get("type", "text"),
                                   column.get("en", ""), column.get("hi", "")])

    async def add(self, rows: list[list[Any]]) -> None:
        await to_thread.run_sync(self._write, rows)

    async def close(self) -> None:
        await to_thread.run_sync(self._book.close)

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def _write(self, rows: list[list[Any]]) -> None:
        for cells in rows:
            for col, (value, kind) in enumerate(zip(cells, self._types, strict=False)):
                self._cell(self._next, col, value, kind)
            self._next += 1

    def _cell(self, row: int, col: int, value: Any, kind: str) -> None:
        sheet = self._rows
        if value is None or value == "":
            return
        if kind in NUMERIC and not isinstance(value, bool):
            number = _number(value)
            if number is not None:
                sheet.write_number(row, col, number, self._formats.get(kind))
                return
        if kind == "date" and isinstance(value, str):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                sheet.write_datetime(row, col, day, self._formats["date"])
                return
        if kind == "boolean" and isinstance(value, bool):
            sheet.write_boolean(row, col, value)
            return
        sheet.write_string(row, col, str(value))


def _number(value: Any) -> float | None:
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return None
    return float(exact) if exact.is_finite() else None
