#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write openpyxl-types.xlsx, the workbook test_xlsx.c reads as a real writer's output.

Run once from this folder with Debian's Python (python3-openpyxl); the workbook is
committed.  The expected table is written out in test_openpyxl_fixture().
"""
import datetime
import os

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = datetime.datetime(2024, 1, 11, 12, 0, 0)

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Typen"
ws.append(["text", "date", "number", "bool", "datetime"])
ws.append(["Aosta", datetime.date(2024, 1, 22), 10, True, datetime.datetime(2024, 3, 15, 9, 0)])
ws.append(["Città 東京", datetime.date(2024, 12, 31), 0.1, False])
ws["G7"] = "last"
other = wb.create_sheet("Second")
other["A1"] = "other"
wb.properties.created = FIXED_TIME
wb.properties.modified = FIXED_TIME
wb.save(os.path.join(HERE, "openpyxl-types.xlsx"))
