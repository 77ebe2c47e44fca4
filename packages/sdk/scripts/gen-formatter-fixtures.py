#!/usr/bin/env python3
"""Reference outputs of Python's logging.Formatter for test/PythonFormatter.test.ts.

Run with plain Python 3 (stdlib only); it writes ../test/fixtures/python-formatter.json:

    python3 packages/sdk/scripts/gen-formatter-fixtures.py

Every record is a logging.LogRecord built from the same data the test gives PythonFormatter (a
FormatInput): its time (created = timeMs / 1000), logger name, level, message, attributes (set on the
record like `extra`), and code location. Formatting runs under TZ=UTC (the test sets the same TZ).

Record fields that Python derives from the clock are pinned so both sides agree:
- msecs is the millisecond of the time (floor(timeMs) % 1000), as Python 3.12+ computes it from
  time_ns(); Python 3.11's float arithmetic gives 122 for a time ending in .123.
- relativeCreated is timeMs - START_MS, START_MS being given to PythonFormatter as startTimeMs.
- an exception is given as exc_text (what Python appends after formatException): the OTel
  `exception.stacktrace` when present, else "type: message".

Attribute values JSON cannot carry are written as {"__float__": "nan"} (also "inf", "-inf", "-0.0")
and, for integers beyond 2^53 (a bigint in JavaScript), {"__int__": "<digits>"}. Floats with a small
integral value are avoided in attributes: JavaScript cannot tell 1.0 from 1 (PythonFormatter takes a
safe integer for an int, anything else for a float).
"""

import json
import logging
import math
import os
import random
import subprocess
import sys
import time

os.environ["TZ"] = "UTC"
time.tzset()

START_MS = 1699999990000.25

RECORDS = [
    {
        "timeMs": 1700000000123.456,
        "name": "training",
        "levelno": 20,
        "message": "step 10: loss=0.25",
        "attributes": {
            "grpo.step": 10,
            "grpo.reward": 0.7312,
            "text": "it's \"quoted\"\n\ttab \u00e9 \u200b \U0001f600 \\",
            "plain": "hello",
            "items": [1, "a", None, True, {"k": 1.5}],
            "mapping": {"a": 1, "b": [2, 3], "c": "x'y"},
            "none": None,
            "flag": True,
            "big": {"__int__": "100000000000000000000"},
            "neg": -42,
            "code": 65,
            "tiny": 1.5e-07,
            "small": 0.0001234,
            "huge": 1.2345678901234567e22,
            "half": 0.5,
            "half2": 2.5,
            "eighth": 0.125,
            "nan": {"__float__": "nan"},
            "inf": {"__float__": "inf"},
            "ninf": {"__float__": "-inf"},
            "negzero": {"__float__": "-0.0"},
            "code.filepath": "/srv/app/grpo/train_loop.py",
            "code.function": "train_step",
            "code.lineno": 217,
        },
    },
    {
        "timeMs": 1700000001007.9,
        "name": "rewards",
        "levelno": 30,
        "message": "multi\nline message \u65e5\u672c",
        "attributes": {"grpo.step": 11, "grpo.reward": -0.03125, "plain": "", "code": "x"},
        "exception": {"type": "ValueError", "message": "bad reward"},
    },
    {
        "timeMs": 1700003599999.5,
        "name": "system",
        "levelno": 50,
        "message": "out of memory",
        "attributes": {
            "grpo.step": 0,
            "grpo.reward": 1e-300,
            "plain": "x" * 30,
            "code.filepath": "relative/.hidden",
            "code.lineno": 3,
        },
        "exception": {
            "type": "RuntimeError",
            "message": "CUDA OOM",
            "stacktrace": "Traceback (most recent call last):\n  File \"x.py\", line 1\nRuntimeError: CUDA OOM\n",
        },
    },
    {
        "timeMs": 86400000.0,
        "name": "metrics",
        "levelno": 10,
        "message": "ends with newline\n",
        "attributes": {"grpo.step": 123456789, "grpo.reward": 123456.789, "plain": "p"},
        "exception": {"message": "only a message"},
    },
]

PERCENT = [
    None,
    "%(message)s",
    "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
    "%(asctime)s",
    "%(levelname)s:%(name)s:%(message)s",
    "[%(levelname)-8s] %(name)10s | %(name)-10s | %(name).3s | %(message)s",
    "%(levelno)03d %(levelno)d %(levelno)5d %(levelno)-5d| %(levelno)+d %(levelno) d %(levelno)x %(levelno)#x "
    "%(levelno)X %(levelno)#X %(levelno)o %(levelno)#o %(levelno)08.3d %(levelno)-8.3d| %(levelno).0d",
    "%(levelno)e %(levelno)g %(levelno)f %(levelno)r %(levelno)i %(levelno)u",
    "%(created)f %(created)s %(created).3f %(created)d %(created)e %(created)g %(created)r",
    "%(msecs)03d %(msecs)d %(msecs)s %(msecs).1f %(msecs)5.1f",
    "%(relativeCreated)d %(relativeCreated)s %(relativeCreated).3f",
    "%(pathname)s %(filename)s %(module)s %(funcName)s %(lineno)d %(lineno)04d",
    "%(processName)s %(threadName)s",
    "%(grpo.step)s %(grpo.step)05d %(grpo.step)-5d| %(grpo.step)+.3d %(grpo.step)x",
    "%(grpo.reward)s %(grpo.reward).2f %(grpo.reward)e %(grpo.reward).3E %(grpo.reward)g %(grpo.reward)G "
    "%(grpo.reward)r %(grpo.reward)10.4f %(grpo.reward)-10.2e| %(grpo.reward)+f %(grpo.reward) f "
    "%(grpo.reward)010.3f %(grpo.reward)#.0f %(grpo.reward)#g %(grpo.reward).10g %(grpo.reward).0e %(grpo.reward)d",
    "%(plain)s|%(plain)r|%(plain)a|%(plain)10s|%(plain)-10s|%(plain).2s|%(plain)05s|%(plain)10.1r",
]

PERCENT_FIRST = [
    "%(text)s",
    "%(text)r",
    "%(text)a",
    "%(text).5s|%(text)20.4r|%(text)-30a|",
    "%(items)s %(items)r",
    "%(mapping)s %(mapping)r",
    "%(none)s %(none)r %(flag)s %(flag)d %(flag)r %(flag)x",
    "%(big)s %(big)d %(big)x %(big)e %(big)f",
    "%(neg)d %(neg)05d %(neg)x %(neg)#X %(neg)#o %(neg)+d %(neg)-6d|",
    "%(code)c %(code)5c %(code)-3c|",
    "%(tiny)s %(tiny)r %(tiny)f %(tiny)e %(tiny)g %(tiny).20f",
    "%(small)s %(small)g %(small).3g %(small)#.3g %(small).1e",
    "%(huge)s %(huge)f %(huge)e %(huge)g %(huge).3f %(huge)d",
    "%(half).0f %(half2).0f %(eighth).2f %(half).0e %(half2).0e %(eighth).1e %(eighth).2g",
    "%(nan)s %(nan)f %(nan)F %(nan)e %(nan)g %(nan)r %(nan)010f %(nan)+f",
    "%(inf)s %(inf)F %(inf)010.2f %(inf)+e %(ninf)s %(ninf)f %(ninf)G %(ninf)-8f|",
    "%(negzero)s %(negzero)f %(negzero)e %(negzero)g %(negzero)d %(negzero)r",
    "100%% done %(message)s %%(not a field)s",
]

BRACE = [
    None,
    "{asctime} - {name} - {levelname} - {message}",
    "{levelno:03d} {levelno:x} {levelno:#b} {levelno:o} {levelno:>5} {levelno:<5}| {levelno:^7}| {levelno:=+8d}",
    "{name:>10}|{name:<10}|{name:^11}|{name:*^11}|{name!r}|{name!r:>12}|{name:.3}",
    "{created:.3f} {created} {msecs:03.0f} {msecs} {relativeCreated:.2f}",
    "{message!r} {message!s} {message!a}",
    "{{literal}} {message} }}{{",
]

BRACE_FIRST = [
    "{text!r} {plain:_>8} {plain:08}",
    "{neg:+d} {neg: d} {neg:06d} {neg:=6} {neg:x} {neg:#x} {big:,} {big:_} {big:_x} {big:,.2f}",
    "{tiny} {tiny:.3} {tiny:e} {small:.2%} {half:.0f} {half2:.0f} {huge:,.0f} {huge:.3}",
    "{flag} {flag:d} {flag:>5} {none} {items} {mapping}",
    "{nan} {inf:+} {ninf:>8} {negzero} {negzero:.1f} {negzero:z.1f}",
]

DOLLAR = [
    None,
    "$asctime $name ${levelname}: $message $$5",
    "${name}_suffix $levelno $created",
]

DATEFMTS = [
    None,
    "%Y-%m-%d %H:%M:%S",
    "%d/%b/%Y:%H:%M:%S %z",
    "%H:%M",
    "%a %d %b %Y %I:%M:%S %p %Z",
    "%s",
]


# One format for many floats: each conversion rounds the exact binary value half-to-even, which is
# where JavaScript's toFixed/toExponential (ties away from zero) and C differ.
NUMBER_FORMAT = (
    "%(v)r|%(v)s|%(v).0f|%(v).1f|%(v).2f|%(v).3f|%(v)f|%(v).0e|%(v).1e|%(v).3e|%(v)e|%(v).16e|"
    "%(v)g|%(v).1g|%(v).2g|%(v).3g|%(v).10g|%(v).17g|%(v)#g|%(v)#.0f|%(v)+.2e|%(v)012.4f|%(v)-12.3g|%(v).25f"
)


def number_values():
    rng = random.Random(20240607)
    values = []
    for _ in range(100):
        values.append(rng.uniform(-1e6, 1e6))
    for _ in range(80):
        values.append(rng.choice([-1, 1]) * 10 ** rng.uniform(-320, 308))
    for _ in range(150):
        # Exact binary fractions: many sit exactly halfway at some printed digit.
        values.append(rng.randrange(-(10**6), 10**6) / 2 ** rng.randrange(1, 12))
    for _ in range(100):
        values.append(round(rng.uniform(-1000, 1000), rng.randrange(0, 6)))
    values += [0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-5, 1e-4, 9.5, 99.5, 0.05, 0.15, 0.25, 0.35, 1e16, 1e22, 5e-324]
    values += [2.2250738585072014e-308, 1.7976931348623157e308, 123456789.5, 1e15 + 0.5, 0.1, 0.2, 0.3]
    # JavaScript holds a float with a safe-integer value as an int; those cannot be compared.
    return [v for v in values if not (v.is_integer() and abs(v) <= 2**53)]


def decode(value):
    if isinstance(value, dict) and set(value) == {"__float__"}:
        return float(value["__float__"])
    if isinstance(value, dict) and set(value) == {"__int__"}:
        return int(value["__int__"])
    return value


def make_record(data):
    attrs = {k: decode(v) for k, v in data["attributes"].items()}
    pathname = attrs.get("code.filepath", "(unknown file)")
    lineno = attrs.get("code.lineno", 0)
    func = attrs.get("code.function", "(unknown function)")
    record = logging.LogRecord(data["name"], data["levelno"], pathname, lineno, data["message"], None, None, func)
    t_ms = data["timeMs"]
    record.created = t_ms / 1000
    record.msecs = float(math.floor(t_ms) % 1000)
    record.relativeCreated = t_ms - START_MS
    record.processName = "MainProcess"
    record.threadName = "MainThread"
    exc = data.get("exception")
    if exc:
        text = exc.get("stacktrace")
        if not text:
            if exc.get("type") and exc.get("message"):
                text = exc["type"] + ": " + exc["message"]
            else:
                text = exc.get("type") or exc.get("message") or ""
        if text.endswith("\n"):
            text = text[:-1]
        record.exc_text = text
    for k, v in attrs.items():
        record.__dict__[k] = v
    return record


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
    cases = []

    def add(fmt, style, datefmt, utc, indices):
        for i in indices:
            # validate=False: Python insists on a \w+ field name; %(grpo.step)s formats fine without it.
            formatter = logging.Formatter(fmt, datefmt, style=style, validate=False)
            if utc:
                formatter.converter = time.gmtime
            case = {"record": i, "format": fmt, "style": style, "datefmt": datefmt, "utc": utc}
            case["expected"] = formatter.format(make_record(RECORDS[i]))
            cases.append(case)

    every = range(len(RECORDS))
    for fmt in PERCENT:
        add(fmt, "%", None, False, every)
    for fmt in PERCENT_FIRST:
        add(fmt, "%", None, False, [0])
    for fmt in BRACE:
        add(fmt, "{", None, False, every)
    for fmt in BRACE_FIRST:
        add(fmt, "{", None, False, [0])
    for fmt in DOLLAR:
        add(fmt, "$", None, False, every)
    for datefmt in DATEFMTS:
        for utc in [False, True]:
            add("%(asctime)s - %(name)s - %(levelname)s - %(message)s", "%", datefmt, utc, every)

    numbers = [[v, NUMBER_FORMAT % {"v": v}] for v in number_values()]

    out = {
        "generator": "packages/sdk/scripts/gen-formatter-fixtures.py",
        "python": sys.version.split()[0],
        "tz": "UTC",
        "startTimeMs": START_MS,
        "records": RECORDS,
        "numberFormat": NUMBER_FORMAT,
        "cases": cases,
        "numbers": numbers,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "python-formatter.json")
    write_fixture(path, out)
    print(f"wrote {len(cases)} cases and {len(numbers)} numbers to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
