#!/usr/bin/env python3
"""Reference values for bench/overhead/pairs.ts medianInterval, from scipy.

The interval is scipy.stats.quantile_test(x, p=0.5).confidence_interval(level); its coverage
1 - 2 * scipy.stats.binom.cdf(k - 1, n, 0.5), with k the rank of the interval's lower end among
distinct values. Inputs are seeded random samples: distinct values (for the coverage), and samples
with ties (for the ends only).

Run:
  PY=$(bash scripts/setup-python.sh)            # a venv with numpy and scipy
  $PY bench/overhead/gen-median-interval-fixture.py
  pnpm exec biome format --write test/fixtures/medianInterval.json
"""
import json
import math
import os

import numpy as np
import scipy
import scipy.stats as st

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "medianInterval.json")


def num(v):
    return None if math.isnan(v) else float(v)


def main():
    rng = np.random.default_rng(20261126)
    cases = []
    for level in (0.9, 0.95, 0.99):
        for n in list(range(1, 41)) + [64]:
            for ties in (False, True):
                if ties:
                    x = rng.integers(0, max(2, n // 3), size=n).astype(float) / 100 + 1
                else:
                    x = np.round(1 + rng.normal(0.02, 0.02, size=n), 5)
                ci = st.quantile_test(x, q=float(np.median(x)), p=0.5).confidence_interval(level)
                case = {"level": level, "values": [float(v) for v in x], "low": num(ci.low), "high": num(ci.high)}
                if not ties:
                    if math.isnan(ci.low):
                        case["coverage"] = None
                    else:
                        k = int(np.searchsorted(np.sort(x), ci.low)) + 1
                        case["coverage"] = float(1 - 2 * st.binom.cdf(k - 1, n, 0.5))
                cases.append(case)
    doc = {
        "generator": "bench/overhead/gen-median-interval-fixture.py",
        "scipy": scipy.__version__,
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f)
        f.write("\n")


if __name__ == "__main__":
    main()
