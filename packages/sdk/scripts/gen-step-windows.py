"""Reference values for the SDK's step windows (packages/sdk/test/stepWindows.test.ts), from numpy.

A trainer calls logRewardMetrics(step, rewards) every step; the analyses run every `logging_frequency`
steps. The moving average at an analysed step s is the mean, over the training steps in (s - W, s], of
each step's mean reward: numpy on the slice. The plateau detector's firing steps come from the plain
Python reference of packages/metrics/scripts/gen-metrics-fixtures.py (its documented rule).

Run: <venv python> packages/sdk/scripts/gen-step-windows.py (the venv of scripts/setup-python.sh).
"""
import importlib.util
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "stepWindows.json")
spec = importlib.util.spec_from_file_location(
    "metrics_fixtures", os.path.join(HERE, "..", "..", "metrics", "scripts", "gen-metrics-fixtures.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

rng = np.random.default_rng(20261207)
STEPS, N = 200, 16


def step_rewards():
    out = []
    for s in range(1, STEPS + 1):
        p = min(0.9, 0.2 + s / 250)
        out.append({
            "correct": [float(x) for x in (rng.random(N) < p).astype(float)],
            "format": [float(x) for x in np.round(rng.uniform(0, 1, N), 3)],
        })
    return out


def moving_averages(rewards, every, window):
    means = {f: np.array([np.mean(r[f]) for r in rewards]) for f in ("correct", "format")}
    means["total"] = np.array([np.mean(np.array(r["correct"]) + np.array(r["format"])) for r in rewards])
    out = []
    for s in range(1, STEPS + 1):
        if s % every:
            continue
        lo = max(1, s - window + 1)
        out.append({"step": s, **{f: float(np.mean(m[lo - 1:s])) for f, m in means.items()}})
    return out


def plateau_case():
    # Rewards rise until step 20, then stay flat: logging_frequency 5, plateau window 10.
    flat = []
    for s in range(1, 61):
        level = min(s, 20) / 20
        flat.append({"correct": [level] * 4, "format": [level / 2] * 4})
    totals = [float(np.mean(np.array(r["correct"]) + np.array(r["format"]))) for r in flat]
    steps = list(range(1, 61))
    e = ref.plateau_expect(totals, 10, 0.01, 1, "ema", 10, "max", steps)
    return {"rewards": flat, "window": 10, "minDelta": 0.01, "loggingFrequency": 5,
            "firedAt": [steps[i] for i in e["fired"]]}


def main():
    rewards = step_rewards()
    cases = []
    for every in (1, 5, 50):
        for window in (10, 100):
            cases.append({"loggingFrequency": every, "window": window,
                          "expect": moving_averages(rewards, every, window)})
    data = {"generator": "packages/sdk/scripts/gen-step-windows.py", "numpy": np.__version__,
            "rewards": rewards, "cases": cases, "plateau": plateau_case()}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
