#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_document_pdf.py - the documents as their readers see them: the PDF through poppler
(pdfinfo, pdftotext, pdffonts), the XLSX through openpyxl, the PNG's header, the SVG's XML.

The input is the Italy-Japan 2024 example with two Japanese touches added (an activity with a
Japanese title, the Japanese head of delegation's name in kanji), run through the real command:
`coplan plan` then `coplan report --format pdf|xlsx|png|svg`."""
import csv
import datetime
import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

JA_TITLE = "日米伊共同訓練（航空自衛隊小松基地）"
JA_NAME = "三浦 潤"

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(*args):
    r = subprocess.run(args, capture_output=True)
    if r.returncode != 0:
        print("command failed: %s\n%s" % (" ".join(args), r.stderr.decode("utf-8", "replace")),
              file=sys.stderr)
        sys.exit(1)
    return r.stdout


def squash(text):
    """pdftotext breaks lines where the table wraps a cell: compare without whitespace."""
    return "".join(text.split())


def main():
    binary = os.environ["COPLAN_BIN"]
    source = os.environ["COPLAN_SOURCE_DIR"]
    tmp = os.path.join(os.environ["COPLAN_TEST_TMP"], "document_pdf")
    shutil.rmtree(tmp, ignore_errors=True)
    folder = os.path.join(tmp, "plan")
    shutil.copytree(os.path.join(source, "examples", "italy-japan-2024"), folder)

    # the Japanese touches: a head's name in kanji, an activity titled in Japanese
    with open(os.path.join(folder, "plan.json"), encoding="utf-8") as f:
        plan = json.load(f)
    for d in plan["staff_talks"]["delegations"]:
        if d["nation"] == "JPN":
            d["head"]["name_native"] = JA_NAME
    with open(os.path.join(folder, "plan.json"), "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False, indent=2)
    with open(os.path.join(folder, "activities.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    extra = dict.fromkeys(header, "")
    extra.update({"ref": "JP-18", "title": JA_TITLE, "area": "training", "kind": "exercise",
                  "host": "JPN", "participants": "JPN;ITA", "units": "JASDF Komatsu Air Base",
                  "duration": "5", "mode": "calendar", "requested": "2024-10",
                  "location": "小松基地"})
    rows.append([extra[h] for h in header])
    with open(os.path.join(folder, "activities.csv"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    activities = [dict(zip(header, r)) for r in rows[1:]]

    db = os.path.join(tmp, "coplan.db")
    run(binary, "--db", db, "plan", folder, "-o", os.path.join(tmp, "out"))
    files = {}
    for fmt in ("pdf", "xlsx", "png", "svg"):
        files[fmt] = os.path.join(tmp, "plan." + fmt)
        run(binary, "--db", db, "report", "--format", fmt, "-o", files[fmt])
    hosts = {}
    for a in activities:
        hosts[a["host"]] = hosts.get(a["host"], 0) + 1
    totals = "%d activities: %d in Italy, %d in Japan" % (len(activities), hosts["ITA"], hosts["JPN"])

    # PDF: A4 pages, the text, the fonts
    info = run("pdfinfo", files["pdf"]).decode()
    pages = int([l for l in info.splitlines() if l.startswith("Pages:")][0].split()[1])
    if pages < 2:
        fail("the PDF has %d page(s)" % pages)
    sizes = run("pdfinfo", "-f", "1", "-l", str(pages), files["pdf"]).decode()
    for line in sizes.splitlines():
        if " size:" in line and line.startswith("Page"):
            dims = line.split("size:")[1].split("pts")[0].split("x")
            w, h = round(float(dims[0])), round(float(dims[1]))
            if (w, h) not in ((595, 842), (842, 595)):
                fail("page not A4: " + line)
    text = run("pdftotext", "-layout", "-enc", "UTF-8", files["pdf"], "-").decode("utf-8")
    flat = squash(text)
    for needle in ("Cooperation Plan 2024", "Italy – Japan", totals,
                   "agreed at the 8th ITA-JPN staff talks, Rome, 10–11 Jan 2024",
                   "Brigadier General Alessandro Grassano", "Jun Miura", JA_NAME, "Date / Place",
                   "Ref. draft, not saved — DRAFT, issued",
                   "Annex A — Gantt chart", "page 1 of %d" % pages, "page %d of %d" % (pages, pages)):
        if squash(needle) not in flat:
            fail("the PDF lacks %r" % needle)
    # every page carries its marking (docs/labels.md) at its head and its foot: the example has no
    # labels, so the plan is UNCLASSIFIED releasable to its parties
    for page in range(1, pages + 1):
        one = run("pdftotext", "-layout", "-f", str(page), "-l", str(page), "-enc", "UTF-8",
                  files["pdf"], "-").decode("utf-8")
        if squash(one).count(squash("UNCLASSIFIED REL TO ITA, JPN")) < 2:
            fail("page %d of the PDF lacks its marking at its head and foot" % page)
    # the workbook's sheets carry the marking in their printed header and footer
    import zipfile
    with zipfile.ZipFile(files["xlsx"]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for n in sheets:
            xml = z.read(n).decode("utf-8")
            for tag in ("oddHeader", "oddFooter"):
                if "<%s>&amp;CUNCLASSIFIED REL TO ITA, JPN</%s>" % (tag, tag) not in xml:
                    fail("%s of the workbook lacks the marking in its %s" % (n, tag))
        if not sheets:
            fail("the workbook has no sheets")
    for a in activities:
        if squash(a["title"]) not in flat:
            fail("the PDF lacks the title of %s: %r" % (a["ref"], a["title"]))
        if a["ref"] not in text:
            fail("the PDF lacks the ref %s" % a["ref"])
    # every page of the table repeats its header row
    table_pages = [p for p in text.split("\f") if any(a["ref"] in p for a in activities)
                   and "Annex A" not in p]
    for i, p in enumerate(table_pages):
        if any(h not in p for h in ("Lead unit", "Participants", "Location", "Duration")):
            fail("table page %d has no header row" % (i + 1))
    fonts = run("pdffonts", files["pdf"]).decode()
    if "NotoSansCJK" not in fonts.replace(" ", ""):
        fail("the PDF embeds no Noto Sans CJK font:\n" + fonts)

    # XLSX: header, one row per activity, real date cells
    from openpyxl import load_workbook
    wb = load_workbook(files["xlsx"])
    if wb.sheetnames != ["Plan", "Summary", "Costs"]:
        fail("sheets %r" % wb.sheetnames)
    ws = wb["Plan"]
    # a title row, the document line (the plan as it stands: not saved), then the human headers
    if ws["A1"].value != "Cooperation Plan 2024 — Italy – Japan":
        fail("XLSX title row %r" % ws["A1"].value)
    if not (ws["A2"].value or "").startswith("Ref. draft, not saved — DRAFT, issued "):
        fail("XLSX document line %r" % ws["A2"].value)
    want = ["Ref", "Title", "Area", "Kind", "Host", "Participants", "Units", "Duration", "Mode",
            "Start", "End", "Status", "Location", "Notes", "Cost estimate", "Cost actual", "Currency",
            "Paid by", "Funding line"]
    got = [c.value for c in ws[3]]
    if got != want:
        fail("XLSX header %r" % got)
    data = list(ws.iter_rows(min_row=4))
    if len(data) != len(activities):
        fail("XLSX has %d rows for %d activities" % (len(data), len(activities)))
    by_ref = {r[0].value: r for r in data}
    for a in activities:
        r = by_ref.get(a["ref"])
        if r is None:
            fail("XLSX lacks %s" % a["ref"])
            continue
        if r[1].value != a["title"]:
            fail("XLSX title of %s: %r" % (a["ref"], r[1].value))
        start, end = r[9], r[10]
        if not (start.is_date and end.is_date):
            fail("XLSX start/end of %s are not date cells" % a["ref"])
            continue
        if not isinstance(start.value, datetime.datetime) or start.value.year != 2024:
            fail("XLSX start of %s: %r" % (a["ref"], start.value))
        if end.value < start.value:
            fail("XLSX %s ends before it starts" % a["ref"])
        if not isinstance(r[7].value, (int, float)) or r[7].value != int(a["duration"]):
            fail("XLSX duration of %s: %r" % (a["ref"], r[7].value))
    if ws.freeze_panes != "A4":
        fail("XLSX header not frozen: %r" % ws.freeze_panes)
    # the costs (examples/.../costs.csv): number cells in each currency's format, never text
    with open(os.path.join(folder, "costs.csv"), encoding="utf-8", newline="") as f:
        costs = {r["ref"]: r for r in csv.DictReader(f)}
    formats = {"EUR": '#,##0.00 "EUR"', "JPY": '#,##0 "JPY"'}
    for ref, c in costs.items():
        cell = by_ref[ref][14]
        if not isinstance(cell.value, (int, float)) or abs(cell.value - float(c["cost_estimate"])) > 1e-9:
            fail("XLSX cost estimate of %s: %r (expected the number %s)" % (ref, cell.value, c["cost_estimate"]))
        if cell.number_format != formats[c["currency"]]:
            fail("XLSX cost format of %s: %r" % (ref, cell.number_format))
        if by_ref[ref][16].value != c["currency"]:
            fail("XLSX currency of %s: %r" % (ref, by_ref[ref][16].value))
    # the totals sheet: by host nation, one row per currency, number cells in that currency
    rows = [[c.value for c in r] for r in wb["Costs"].iter_rows()]
    want_host = {}
    for ref, c in costs.items():
        host = ref[:2] == "IT" and "ITA" or "JPN"
        want_host[(host, c["currency"])] = want_host.get((host, c["currency"]), 0) + float(c["cost_estimate"])
    got_host = {(r[0], r[1]): r[2] for r in rows[1:1 + len(want_host)]}
    if rows[0][:3] != ["host nation", "currency", "estimate"] or got_host != want_host:
        fail("XLSX Costs by host: %r (expected %r)" % (rows[:4], want_host))
    for r in wb["Costs"].iter_rows(min_row=2, max_row=1 + len(want_host)):
        if r[2].number_format != formats[r[1].value]:
            fail("XLSX Costs total format: %r" % r[2].number_format)
    if ws.auto_filter.ref != "A3:S%d" % (3 + len(activities)):
        fail("XLSX autofilter: %r" % ws.auto_filter.ref)
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows() if r[0].value}
    if summary.get("Italy (ITA)") != hosts["ITA"] or summary.get("Japan (JPN)") != hosts["JPN"]:
        fail("XLSX summary by host: %r" % summary)
    if summary.get("total") != len(activities):
        fail("XLSX summary total: %r" % summary.get("total"))

    # PNG: signature and the default width
    with open(files["png"], "rb") as f:
        head = f.read(33)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        fail("not a PNG")
    else:
        w, h = struct.unpack(">II", head[16:24])
        if w != 1600 or h < 22 * len(activities):
            fail("PNG is %dx%d" % (w, h))

    # SVG: well-formed XML with a tooltip per activity and the nations in the legend
    root = ET.parse(files["svg"]).getroot()
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    for a in activities:
        if not any(t.startswith(a["ref"] + " " + a["title"]) for t in titles):
            fail("SVG lacks the tooltip of %s" % a["ref"])
    for name in ("Italy", "Japan", "Golden Week"):
        if not any(name in t for t in titles):
            fail("SVG lacks %r" % name)

    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("ok: %d pages, %d activities" % (pages, len(activities)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
