#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write activities.xlsx from activities.csv: the same proposals as an Excel workbook.

Run once from this folder (/usr/bin/python3 make-xlsx.py: Debian's Python) after changing activities.csv; the
workbook is committed beside it.  Needs Debian's python3-openpyxl.  The dates of the
earliest and latest columns become real date cells (shown dd/mm/yyyy, as Italian Excel
shows them), durations numbers; everything else stays text, as a staff officer types it.
A second sheet explains the columns: coplan reads the first.
"""
import csv
import datetime
import os
import sys

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
DATE_COLUMNS = {"earliest", "latest"}
NUMBER_COLUMNS = {"duration"}
FIXED_TIME = datetime.datetime(2024, 1, 11, 12, 0, 0)  # the talks' last day: a stable file


def main():
    with open(os.path.join(HERE, "activities.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in data:
        out = []
        for name, value in zip(header, row):
            if name in DATE_COLUMNS and value:
                out.append(datetime.date.fromisoformat(value))
            elif name in NUMBER_COLUMNS and value:
                out.append(int(value))
            else:
                out.append(value if value else None)
        ws.append(out)
    for name in DATE_COLUMNS:
        col = header.index(name) + 1
        for r in range(2, len(data) + 2):
            ws.cell(row=r, column=col).number_format = "dd/mm/yyyy"
    ws.freeze_panes = "A2"
    legend = wb.create_sheet("Legend")
    legend.append(["column", "meaning"])
    legend.append(["ref", "the activity's unique reference, e.g. IT-01"])
    legend.append(["earliest, latest", "the window the activity must fit in (date cells)"])
    legend.append(["requested", "the month asked for, e.g. 2024-05"])
    legend.append(["after", "refs this activity follows; REF+N for a gap of N days"])
    wb.properties.creator = "coplan examples"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(os.path.join(HERE, "activities.xlsx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
