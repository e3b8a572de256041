#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_translations.py - the documents' fixed words in the parties' languages, from one table kept as
data (data/translations.json, embedded into the library at build time).

Checked: every label has English, Italian and Japanese, none empty; a translation uses exactly the
placeholders {1}..{9} of its English; every key the library's sources name is in the table and every
key of the table is named by them; and, through the real command and poppler's pdftotext, the plan's
PDF and an amendment's PDF in Italian and Japanese carry their translated headings, columns,
signature block and document line (`coplan report --format pdf --language it|ja`), English stays
the default, and another language is refused as bad usage."""
import glob
import json
import os
import re
import shutil
import sys

from doc_check import failures, fail, run, squash

LANGUAGES = ("en", "it", "ja")
# (a file name such as "plan.json", a bundle's entry, is not a label)
KEY = re.compile(r'"((?:plan|col|acol|status|sign|annex|info|state|page|amend|change)\.(?!json")[a-z_]+)"')


def check_table(source):
    with open(os.path.join(source, "data", "translations.json"), encoding="utf-8") as f:
        table = json.load(f)["words"]
    if len(table) < 40:
        fail("only %d words in data/translations.json" % len(table))
    for key, entry in table.items():
        for lang in LANGUAGES:
            text = entry.get(lang)
            if not isinstance(text, str) or not text.strip():
                fail("label %s has no %s" % (key, lang))
        extra = set(entry) - set(LANGUAGES)
        if extra:
            fail("label %s has unknown languages %s" % (key, sorted(extra)))
        want = sorted(re.findall(r"\{[1-9]\}", entry.get("en", "")))
        for lang in ("it", "ja"):
            got = sorted(re.findall(r"\{[1-9]\}", entry.get(lang, "")))
            if got != want:
                fail("label %s: %s uses %s, English %s" % (key, lang, got, want))
    used = set()
    for path in glob.glob(os.path.join(source, "src", "*.c")):
        with open(path, encoding="utf-8") as f:
            used |= set(KEY.findall(f.read()))
    for key in sorted(used - set(table)):
        fail("the sources use label %s, which data/translations.json lacks" % key)
    for key in sorted(set(table) - used):
        fail("label %s of data/translations.json is used nowhere" % key)
    return table


def main():
    binary = os.environ["COPLAN_BIN"]
    source = os.environ["COPLAN_SOURCE_DIR"]
    table = check_table(source)
    tmp = os.path.join(os.environ["COPLAN_TEST_TMP"], "translations")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    if not shutil.which("pdftotext"):
        print("skipped the documents: poppler-utils missing")
        return 1 if failures else 0
    db = os.path.join(tmp, "coplan.db")
    os.environ["COPLAN_AUTHOR"] = "Lt Col Test"

    def coplan(*args, ok=True):
        return run(binary, "--db", db, *args, ok=ok)

    def pdf_text(*args):
        out = os.path.join(tmp, "doc.pdf")
        coplan("report", "--format", "pdf", "-o", out, *args)
        return squash(run("pdftotext", "-enc", "UTF-8", out, "-").stdout.decode())

    coplan("plan", os.path.join(source, "examples", "italy-japan-2024"), "-o", os.path.join(tmp, "out"))
    coplan("version", "save", "--state", "agreed")
    coplan("version", "save", "--state", "signed")

    def label(key, lang):
        return squash(table[key][lang])

    for lang in LANGUAGES:
        text = pdf_text("--language", lang)
        for key in ("col.title", "col.host", "col.lead_unit", "sign.heading", "sign.date_place",
                    "annex.gantt", "state.signed"):
            if label(key, lang) not in text:
                fail("the plan's PDF in %s lacks %s (%s)" % (lang, key, table[key][lang]))
        if lang != "en" and label("sign.heading", "en") in text:
            fail("the plan's PDF in %s still has the English signature heading" % lang)
    if squash("Rif. ITA-JPN-2024-v2 — versione 2, FIRMATO") not in pdf_text("--language", "it"):
        fail("the Italian document line")
    if squash("参照番号 ITA-JPN-2024-v2 — 第2版、署名済") not in pdf_text("--language", "ja"):
        fail("the Japanese document line")
    if label("sign.heading", "en") not in pdf_text():
        fail("English is not the default")

    # an amendment, in Japanese: its title, columns and words
    coplan("amend")
    coplan("activity", "edit", "IT-01", "--location", "Naples", "--reason", "会場変更")
    out = os.path.join(tmp, "amendment.pdf")
    coplan("report", "--amendment", "1", "--format", "pdf", "--language", "ja", "-o", out)
    text = squash(run("pdftotext", "-enc", "UTF-8", out, "-").stdout.decode())
    for want in ("CooperationPlan2024修正第1号", label("acol.before", "ja"), label("acol.reason", "ja"),
                 label("change.changed", "ja"), "会場変更", label("amend.one_change", "ja").replace("{1}", "1"),
                 squash("署名済みの計画（参照番号 ITA-JPN-2024-v2）を修正する")):
        if want not in text:
            fail("the Japanese amendment lacks %r" % want)

    r = coplan("report", "--format", "pdf", "--language", "fr", "-o", os.path.join(tmp, "x.pdf"), ok=False)
    if r.returncode != 2 or b"--language takes en, it or ja" not in r.stderr:
        fail("--language fr: exit %d, %r" % (r.returncode, r.stderr))
    r = coplan("report", "--format", "html", "--language", "it", ok=False)
    if r.returncode != 2:
        fail("--language with html: exit %d" % r.returncode)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: %d words in en, it and ja; the PDFs carry them" % len(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
