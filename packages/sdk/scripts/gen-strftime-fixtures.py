#!/usr/bin/env python3
"""Reference outputs of Python's time.strftime (and datetime.strftime for %f) for test/strftime.test.ts.

Run from anywhere with plain Python 3 (stdlib only); it writes ../test/fixtures/strftime.json:

    python3 packages/sdk/scripts/gen-strftime-fixtures.py

Each group of [format, expected] pairs records the TZ it was produced under (set through the environment and time.tzset()), the
epoch milliseconds, whether it is UTC mode (time.gmtime, as logging.Formatter with converter=gmtime)
and Python's output. UTC-mode cases are produced under TZ=UTC only: glibc's %s runs mktime() on the
gmtime() fields, which reads them as local time, a quirk we do not reproduce.
"""

import datetime
import json
import os
import platform
import string
import subprocess
import sys
import time

ZONES = ["UTC", "America/New_York", "Asia/Kolkata"]

# Epoch milliseconds; fractional parts exercise %f (rounded half-even to microseconds, like datetime).
TIMES_MS = [
    1700000000123.456,  # 2023-11-14 22:13:20 UTC
    0,
    -1,  # 1969-12-31 23:59:59.999 UTC
    1710053999000,  # 2024-03-10 06:59:59 UTC: the last second of EST
    1710054000000,  # 2024-03-10 07:00:00 UTC: the first second of EDT
    1735560000000,  # 2024-12-30 12:00 UTC: ISO week 1 of 2025
    1609675200000,  # 2021-01-03 12:00 UTC: ISO week 53 of 2020
    951782400000,  # 2000-02-29 00:00 UTC
    1718452800000,  # 2024-06-15 12:00 UTC
    1718409600000,  # 2024-06-15 00:00 UTC
    2224612800000,  # 2040-06-29 20:00 UTC: past the TZif transitions, the POSIX footer rules
    -3786825600000,  # 1850-01-01 00:00 UTC: local mean time offsets with seconds
    1700000000999.9996,  # rounds up to the next second for %f
    1700000000000.0005,
]

CONVERSIONS = "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%"

# A few times carry the full sweep of flags, widths and modifiers; the others the basic directives.
SWEEP_TIMES = {1700000000123.456, -3786825600000}

# %f is left to MICROS: time.strftime copies it, datetime.strftime gives microseconds (what we do).
BASIC = ["%" + c for c in string.ascii_letters.replace("f", "") + "%+"] + [
    "",
    "no directives",
    "%",
    "abc%",
    "%-",
    "%E",
    "%O",
    "%5",
    "%_",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%d/%b/%Y:%H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S %Z",
    "%A %B %-d %Y, %-I:%M %p",
    "%x %X",
    "%c",
    "%D %T %R %r %F",
    "%j %U %W %V %G %g %u %w",
    "%C%y %e %k %l %s",
    "%%Y %%%Y %%%%",
    "unicode \u65e5\u4ed8 %Y\u5e74%m\u6708 \u00e9\u00e8 \U0001f600 %H",
    "tabs\t%t and newlines %n end",
    "%q %v %J %K %L %N %Q %i %o %+ %!",
]

MICROS = [
    "%f",
    "%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S,%f",
    "%S.%f %S",
    "%%f %%%f",
    "%f%f",
    "[%f]",
]

# Not given to datetime: with flags glibc sees %f and copies it (these go through time.strftime).
MICROS_AS_UNKNOWN = ["%-f", "%5f", "%Ef", "%^f"]


def sweep():
    out = []
    for c in CONVERSIONS:
        for flags in ["_", "-", "0", "^", "#", "^#", "#^", "_^"]:
            out.append("%" + flags + c)
        for width in ["1", "3", "5", "12"]:
            out.append("%" + width + c)
        for fw in ["_10", "-10", "010", "^12", "#8", "-1", "0"]:
            out.append("%" + fw + c)
        out.append("%E" + c)
        out.append("%O" + c)
        out.append("%_5E" + c)
        out.append("%-3O" + c)
    return out


def write_fixture(path, data):
    """Writes JSON, then lets the repository's formatter (biome, which `pnpm lint` checks) lay it out."""
    path = os.path.normpath(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False) + "\n")
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
    biome = os.path.join(root, "node_modules", ".bin", "biome")
    if os.path.exists(biome):
        subprocess.run([biome, "format", "--write", path], cwd=root, check=True, capture_output=True)
    else:
        print(f"biome not found; run `pnpm exec biome format --write {path}` before committing")


def main():
    groups = []
    for zone in ZONES:
        os.environ["TZ"] = zone
        time.tzset()
        for t_ms in TIMES_MS:
            formats = BASIC + (sweep() if t_ms in SWEEP_TIMES else [])
            for utc in [False, True]:
                if utc and zone != "UTC":
                    continue
                secs = t_ms / 1000
                tm = time.gmtime(secs) if utc else time.localtime(secs)
                cases = [[fmt, time.strftime(fmt, tm)] for fmt in formats + MICROS_AS_UNKNOWN]
                if utc:
                    dt = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
                else:
                    dt = datetime.datetime.fromtimestamp(secs).astimezone()
                cases += [[fmt, dt.strftime(fmt)] for fmt in MICROS]
                groups.append({"tz": zone, "timeMs": t_ms, "utc": utc, "cases": cases})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "strftime.json")
    write_fixture(
        path,
        {
            "generator": "packages/sdk/scripts/gen-strftime-fixtures.py",
            "python": sys.version.split()[0],
            "libc": " ".join(platform.libc_ver()),
            "groups": groups,
        },
    )
    total = sum(len(g["cases"]) for g in groups)
    print(f"wrote {total} cases in {len(groups)} groups to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
