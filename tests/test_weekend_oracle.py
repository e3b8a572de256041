# SPDX-License-Identifier: Apache-2.0
"""test_weekend_oracle.py - every nation's weekend in `coplan calendar` against CLDR's file, read here.

The oracle reads CLDR's supplementalData.xml with Python's ElementTree and maps alpha-2 to
alpha-3 through iso-codes' JSON, both independently of coplan's C reader (libxml2).  LDML
(UTS #35 part 4, "Week Data"): the weekend runs from weekendStart to weekendEnd inclusive,
forward through the week; a territory not listed in one of the two elements takes that
element's value for the world, territory 001.  Elements with alt= are variants, not read.
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

BIN = os.environ["COPLAN_BIN"]
CLDR = os.environ.get("COPLAN_CLDR_SUPPLEMENTAL",
                      "/usr/share/unicode/cldr/common/supplemental/supplementalData.xml")
ISO = os.environ.get("COPLAN_ISO_CODES", "/usr/share/iso-codes/json/iso_3166-1.json")
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TITLE = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

if not os.path.exists(CLDR) or not os.path.exists(ISO):
    print("skip: CLDR or iso-codes data missing")
    sys.exit(77)

week = ET.parse(CLDR).getroot().find("weekData")
starts, ends = {}, {}
for el in week:
    if el.get("alt") is not None or el.tag not in ("weekendStart", "weekendEnd"):
        continue
    table = starts if el.tag == "weekendStart" else ends
    for territory in el.get("territories").split():
        table[territory] = DAYS.index(el.get("day"))


def expected(alpha2):
    s = starts.get(alpha2, starts["001"])
    e = ends.get(alpha2, ends["001"])
    days, d = [], s
    while True:
        days.append(d)
        if d == e:
            break
        d = (d + 1) % 7
    # as coplan writes it: one run (no CLDR weekend has two), en dash between its ends
    return TITLE[days[0]] if len(days) == 1 else f"{TITLE[days[0]]}\u2013{TITLE[days[-1]]}"


nations = json.load(open(ISO, encoding="utf-8"))["3166-1"]
codes = {n["alpha_3"]: n["alpha_2"] for n in nations}
p = subprocess.run([BIN, "calendar", *sorted(codes), "--from", "2024-01-01", "--to", "2024-01-07"],
                   capture_output=True)
out = p.stdout.decode("utf-8")
failures = []
if p.returncode != 0 or not out.startswith("weekends: "):
    failures.append(f"coplan calendar failed ({p.returncode}): {p.stderr.decode()[:300]}")
    got = {}
else:
    got = dict(item.strip().split(" ", 1) for item in out.splitlines()[0][len("weekends: "):].split(","))

not_sat_sun = 0
for alpha3, alpha2 in sorted(codes.items()):
    want = expected(alpha2)
    not_sat_sun += want != "Sat\u2013Sun"
    if got.get(alpha3) != want:
        failures.append(f"{alpha3} ({alpha2}): coplan {got.get(alpha3)!r}, CLDR {want!r}")

# the oracle itself must see the nations the issue names, or it proves nothing
for alpha3, want in [("ISR", "Fri\u2013Sat"), ("SAU", "Fri\u2013Sat"), ("IND", "Sun"),
                     ("ITA", "Sat\u2013Sun")]:
    if expected(codes[alpha3]) != want:
        failures.append(f"oracle: {alpha3} {expected(codes[alpha3])!r}, expected {want!r}")
if not_sat_sun < 10:
    failures.append(f"only {not_sat_sun} nations with a weekend other than Sat-Sun: not CLDR's weekData?")

for f in failures:
    print("FAIL:", f)
print(f"{len(codes)} nations compared, {not_sat_sun} with a weekend other than Sat-Sun, "
      f"{len(failures)} failed")
sys.exit(1 if failures else 0)
