#!/usr/bin/env python3
"""Reference values for summarize() from Python's statistics module (an independent implementation).
Run: python3 packages/metrics/scripts/gen-summarize-fixtures.py  (writes test/fixtures/summarize.json),
then `pnpm exec biome format --write packages/metrics/test/fixtures` (the repository's JSON style)."""
import json, math, os, random, statistics

random.seed(20261125)
cases = [
    ("single", [3.5]),
    ("two", [1.0, 2.0]),
    ("ties", [1.0, 1.0, 1.0, 0.0]),
    ("constant", [0.25] * 17),
    ("binary rewards", [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0]),
    ("negative", [-2.5, -1.0, 3.0, 0.5]),
    ("large offset", [1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3, 1e9 + 0.4]),
    ("tiny", [1e-300, 2e-300, 3e-300]),
    ("uniform 1000", [random.random() for _ in range(1000)]),
    ("gaussian 513", [random.gauss(0.3, 2.0) for _ in range(513)]),
    ("with non-finite", [1.0, float("nan"), 2.0, float("inf"), -float("inf"), 4.0]),
]
out = []
for name, xs in cases:
    finite = [x for x in xs if math.isfinite(x)]
    out.append({
        "name": name,
        "values": [x if math.isfinite(x) else str(x) for x in xs],
        "count": len(finite),
        "skipped": len(xs) - len(finite),
        "mean": statistics.fmean(finite),
        "std": statistics.pstdev(finite),
        "std_ddof1": statistics.stdev(finite) if len(finite) > 1 else "NaN",
        "min": min(finite),
        "max": max(finite),
        "median": statistics.median(finite),
    })
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "summarize.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path)
