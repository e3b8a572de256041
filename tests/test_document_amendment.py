#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_document_amendment.py - documents that show what they are, and the amendment to sign,
as their readers see them: poppler's pdftotext and pdftoppm, openpyxl.

The example is planned, agreed and signed (version 2); then a typhoon postpones JP-03 and IT-02
is cancelled, and Amendment No. 1 is saved as a draft (version 3), agreed (4) and signed (5), all
through the real command.  Checked: the amendment PDF's title, reference, every change with its old
and new values (as `coplan version compare 2 5 --format json` gives them) and reason, and the
signature block; the DRAFT watermark on a draft plan's pages and not on a signed one's (pixels of
the page rendered by pdftoppm); the workbook's title row and Italian headers."""
import json
import os
import shutil
import subprocess
import sys

from doc_check import failures, fail, run, squash


def red_pixels(pdf, page=1):
    """Pixels of page where red clearly dominates (the watermark's tint), from a PPM by pdftoppm."""
    ppm = run("pdftoppm", "-r", "30", "-f", str(page), "-l", str(page), pdf).stdout
    # header: P6 <w> <h> <max>, each token followed by one whitespace byte
    fields, pos = [], 0
    while len(fields) < 4:
        while ppm[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not ppm[pos:pos + 1].isspace():
            pos += 1
        fields.append(ppm[start:pos])
    pos += 1
    if fields[0] != b"P6":
        fail("pdftoppm gave no PPM")
        return 0
    data = ppm[pos:]
    count = 0
    for i in range(0, len(data) - 2, 3):
        r, g, b = data[i], data[i + 1], data[i + 2]
        if r > g + 12 and r > b + 12:
            count += 1
    return count


def main():
    binary = os.environ["COPLAN_BIN"]
    source = os.environ["COPLAN_SOURCE_DIR"]
    tmp = os.path.join(os.environ["COPLAN_TEST_TMP"], "document_amendment")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        print("skipped: poppler-utils missing")
        return 77
    db = os.path.join(tmp, "coplan.db")
    os.environ["COPLAN_AUTHOR"] = "Lt Col Test"

    def coplan(*args, ok=True):
        return run(binary, "--db", db, *args, ok=ok)

    def path(name):
        return os.path.join(tmp, name)

    coplan("plan", os.path.join(source, "examples", "italy-japan-2024"), "-o", path("out"))

    # the plan as it stands, never saved: a draft, watermarked
    coplan("report", "--format", "pdf", "-o", path("draft.pdf"))
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path("draft.pdf"), "-").stdout.decode()
    if "Ref. draft, not saved — DRAFT, issued" not in text:
        fail("the unsaved plan's PDF does not say it is a draft, not saved")
    draft_red = red_pixels(path("draft.pdf"))

    coplan("version", "save", "--state", "agreed", "--note", "agreed at the 8th staff talks")
    coplan("version", "save", "--state", "signed")
    coplan("report", "--format", "pdf", "-o", path("signed.pdf"))
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path("signed.pdf"), "-").stdout.decode()
    if "Ref. ITA-JPN-2024-v2 — version 2, SIGNED, issued" not in text:
        fail("the signed plan's PDF lacks its document line")
    if "Ref. ITA-JPN-2024-v2" not in text.split("\f")[-2]:
        fail("the signed plan's last page lacks the reference in its footer")
    signed_red = red_pixels(path("signed.pdf"))
    # the watermark covers a good part of page 1; without it page 1 has no red at all
    if not (draft_red > 400 and signed_red < draft_red / 20):
        fail("DRAFT watermark: %d red pixels on the draft's page 1, %d on the signed one's"
             % (draft_red, signed_red))

    # a custom reference pattern, and a bad one
    coplan("report", "--format", "pdf", "--reference", "<series>/<year>/<N>", "-o", path("ref.pdf"))
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path("ref.pdf"), "-").stdout.decode()
    if "Ref. ITA-JPN/2024/2 — version 2, SIGNED" not in text:
        fail("--reference pattern not used")
    r = coplan("report", "--format", "pdf", "--reference", "<nation>-<N>", "-o", path("bad.pdf"), ok=False)
    if r.returncode == 0 or b"<nation>" not in r.stderr:
        fail("a bad reference pattern is accepted: %r" % r.stderr)

    # the year goes on: a typhoon, a cancellation, Amendment No. 1
    r = coplan("report", "--amendment", "1", "--format", "pdf", "-o", path("none.pdf"), ok=False)
    if r.returncode == 0 or b"has 0 amendments" not in r.stderr:
        fail("an amendment that does not exist: %r" % r.stderr)
    coplan("activity", "set-status", "JP-03", "postponed", "--from", "2024-09-02", "--to", "2024-09-06",
           "--reason", "typhoon Shanshan")
    coplan("activity", "set-status", "IT-02", "cancelled", "--reason", "budget cut")
    coplan("activity", "set-status", "IT-01", "executed")
    coplan("version", "save", "--state", "draft", "--note", "Amendment No. 1")

    # the draft amendment: watermarked, version 3
    coplan("report", "--amendment", "1", "--format", "pdf", "-o", path("amendment-draft.pdf"))
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path("amendment-draft.pdf"), "-").stdout.decode()
    if "Ref. ITA-JPN-2024-v3 — version 3, DRAFT" not in text:
        fail("the draft amendment lacks its document line")
    if red_pixels(path("amendment-draft.pdf")) < 400:
        fail("the draft amendment has no DRAFT watermark")

    coplan("version", "save", "--state", "agreed")
    coplan("version", "save", "--state", "signed")
    coplan("report", "--amendment", "1", "--format", "pdf", "-o", path("amendment.pdf"))
    coplan("report", "--amendment", "1", "--format", "html", "-o", path("amendment.html"))
    subprocess.run(["pdftoppm", "-png", "-r", "70", path("amendment.pdf"), path("amendment")])
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path("amendment.pdf"), "-").stdout.decode()
    flat = squash(text)
    with open(path("amendment.html"), encoding="utf-8") as f:
        html = f.read()
    changes = json.loads(coplan("version", "compare", "2", "5", "--format", "json").stdout)
    kinds = sorted((c["ref"], c["kind"], c.get("field")) for c in changes)
    want = sorted([("IT-02", "changed", "status"), ("JP-03", "moved", "dates"),
                   ("JP-03", "changed", "status"), ("IT-01", "changed", "status")])
    if kinds != want:
        fail("version compare 2 5 gives %r" % kinds)
    for needle in ("Amendment No. 1 to the Cooperation Plan 2024", "Italy – Japan",
                   "amends the plan Ref. ITA-JPN-2024-v2, as signed",
                   "Ref. ITA-JPN-2024-v5 — version 5, SIGNED, issued",
                   "3 changes: 1 moved, 2 changed",
                   "Signed for the parties by the heads of delegation", "For Italy", "For Japan",
                   "Brigadier General Alessandro Grassano", "Jun Miura", "Date / Place",
                   "typhoon Shanshan", "budget cut", "page 1 of 1"):
        if squash(needle) not in flat:
            fail("the amendment PDF lacks %r" % needle)
    if "IT-01" in text or "executed" in text:
        fail("the amendment lists IT-01's execution, which is no amendment")
    changes = [c for c in changes if c["ref"] != "IT-01"]
    for c in changes:
        row = [l for l in text.splitlines() if c["ref"] in l and (c["before"] or "") in l]
        if not row or (c["after"] or "") not in row[0]:
            fail("the amendment PDF has no row for %s %s: %r -> %r" % (c["kind"], c["ref"],
                                                                         c["before"], c["after"]))
        for v in (c["before"], c["after"], c["title"]):
            if v and v not in html:
                fail("the amendment HTML lacks %r" % v)
    if red_pixels(path("amendment.pdf")) > 50:
        fail("the signed amendment carries the DRAFT watermark")
    if "<h1>Amendment No. 1 to the Cooperation Plan 2024</h1>" not in html or "For Japan" not in html:
        fail("the amendment HTML lacks its title or signatures")

    # the plan after the amendment: version 5, counted with the cancellation apart
    coplan("report", "--format", "pdf", "-o", path("amended.pdf"))
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path("amended.pdf"), "-").stdout.decode()
    for needle in ("Ref. ITA-JPN-2024-v5 — version 5, SIGNED, issued",
                   "as amended by Amendment No. 1",
                   "27 activities: 10 in Italy, 17 in Japan; 1 cancelled (Italy)"):
        if squash(needle) not in squash(text):
            fail("the amended plan's PDF lacks %r" % needle)

    # the workbook in Italian: title row, document line, headers
    coplan("report", "--format", "xlsx", "--locale", "it", "-o", path("piano.xlsx"))
    try:
        from openpyxl import load_workbook
    except ImportError:
        print("skipped: python3-openpyxl missing")
        return 77
    ws = load_workbook(path("piano.xlsx"))["Plan"]
    if ws["A1"].value != "Cooperation Plan 2024 — Italy – Japan":
        fail("XLSX title row %r" % ws["A1"].value)
    if not (ws["A2"].value or "").startswith("Ref. ITA-JPN-2024-v5 — version 5, SIGNED, issued"):
        fail("XLSX document line %r" % ws["A2"].value)
    headers = [c.value for c in ws[3]]
    if headers != ["Rif", "Titolo", "Area", "Tipo", "Paese ospitante", "Partecipanti", "Unità",
                   "Durata", "Modalità", "Inizio", "Fine", "Stato", "Luogo", "Note", "Costo stimato",
                   "Costo effettivo", "Valuta", "Pagante", "Capitolo di spesa"]:
        fail("XLSX Italian headers %r" % headers)
    if ws.freeze_panes != "A4":
        fail("XLSX pane frozen at %r" % ws.freeze_panes)
    summary = {r[0].value: r[1].value for r in load_workbook(path("piano.xlsx"))["Summary"].iter_rows()
               if r[0].value}
    if summary.get("total") != 27 or summary.get("cancelled") != 1 or summary.get("Italy (ITA)") != 10:
        fail("XLSX summary with the cancellation apart: %r" % summary)
    r = coplan("report", "--format", "pdf", "--locale", "it", ok=False)
    if r.returncode != 2:
        fail("--locale with pdf is not a usage error")

    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("ok: draft watermark (%d red pixels, signed %d), amendment of %d changes"
          % (draft_red, signed_red, len(changes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
