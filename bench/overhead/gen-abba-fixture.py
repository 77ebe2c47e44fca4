#!/usr/bin/env python3
"""Reference values for bench/overhead/pairs.ts summarizeOrders (ABBA blocks), from numpy and scipy.

Pairs run in the order of runOrder: pair 2k ran "on" first, pair 2k+1 "off" first; blocks are pairs
(2k, 2k+1). Per pair: the ratio of mean step times, of median step times, the difference of means.
Per block: the geometric mean of its two ratios (the order effect, a factor e on the first run of a
pair, cancels: sqrt(t*e * t/e) = t), the arithmetic mean of its two differences, and the order effect
sqrt(ratio of the on-first pair / ratio of the off-first pair). Medians are numpy's, intervals
scipy.stats.quantile_test(p=0.5)'s. Inputs: seeded random step times with an order effect and noise.

Run:
  PY=$(bash scripts/setup-python.sh)            # a venv with numpy and scipy
  $PY bench/overhead/gen-abba-fixture.py
  pnpm exec biome format --write test/fixtures/abbaSummary.json
"""
import json
import math
import os

import numpy as np
import scipy
import scipy.stats as st

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "abbaSummary.json")


def num(v):
    return None if math.isnan(v) else float(v)


def spread(xs):
    xs = np.asarray(xs, dtype=float)
    if len(xs) == 0:
        return None
    ci = st.quantile_test(xs, q=float(np.median(xs)), p=0.5).confidence_interval(0.95)
    return {"median": float(np.median(xs)), "low": num(ci.low), "high": num(ci.high)}


def main():
    rng = np.random.default_rng(20261207)
    cases = []
    for n in list(range(1, 17)) + [24, 31]:
        overhead = 1 + rng.uniform(-0.02, 0.05)
        first = 1 + rng.uniform(-0.1, 0.1)  # the order effect: a factor on the first run of a pair
        pairs = []
        for i in range(n):
            steps = int(rng.integers(1, 6))
            off = np.round(0.1 * (1 + rng.normal(0, 0.05, size=steps)), 6)
            on = np.round(off * overhead * (1 + rng.normal(0, 0.02, size=steps)), 6)
            if i % 2 == 0:
                on = np.round(on * first, 6)
            else:
                off = np.round(off * first, 6)
            pairs.append({"on": [float(v) for v in on], "off": [float(v) for v in off]})
        mean_r = [np.mean(p["on"]) / np.mean(p["off"]) for p in pairs]
        median_r = [np.median(p["on"]) / np.median(p["off"]) for p in pairs]
        diff = [np.mean(p["on"]) - np.mean(p["off"]) for p in pairs]
        blocks = n // 2
        geo = lambda xs: [math.sqrt(xs[2 * k] * xs[2 * k + 1]) for k in range(blocks)]
        first_r = mean_r[0::2]
        second_r = mean_r[1::2]
        case = {
            "pairs": pairs,
            "byOrder": {"on-off": spread(first_r), "off-on": spread(second_r)},
            "combinedMedians": float(math.sqrt(np.median(first_r) * np.median(second_r))) if second_r else None,
            "blocks": blocks,
            "meanRatio": spread(geo(mean_r)),
            "medianRatio": spread(geo(median_r)),
            "meanDifference": spread([(diff[2 * k] + diff[2 * k + 1]) / 2 for k in range(blocks)]),
            "orderEffect": spread([math.sqrt(mean_r[2 * k] / mean_r[2 * k + 1]) for k in range(blocks)]),
        }
        cases.append(case)
    doc = {"generator": "bench/overhead/gen-abba-fixture.py", "scipy": scipy.__version__, "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f)
        f.write("\n")


if __name__ == "__main__":
    main()
