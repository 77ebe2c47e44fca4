"""The peer: Python's csv module writing the same rows (csv.writer, default excel dialect:
QUOTE_MINIMAL, CR LF), each row handed over as a ready list of strings (the ISO timestamp included),
then flush + os.fsync. MODE `writerow`: one call per record, as a logging handler does; `writerows`:
one call per batch of 512 (a buffered handler; the faster). Best of REPS runs.
Usage: python_csv_writer.py rows.json out.csv REPS [MODE]"""
import csv
import json
import os
import sys
import time

rows_path, out_path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else "writerow"
with open(rows_path, encoding="utf-8") as f:
    rows = json.load(f)

times = []
for _ in range(reps):
    if os.path.exists(out_path):
        os.remove(out_path)
    t0 = time.perf_counter()
    with open(out_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "question", "true_answer", "model_answer", "model_reasoning"])
        if mode == "writerows":
            for i in range(0, len(rows), 512):
                w.writerows(rows[i : i + 512])
        else:
            for row in rows:
                w.writerow(row)
        f.flush()
        os.fsync(f.fileno())
    times.append(time.perf_counter() - t0)

print(json.dumps({"rows": len(rows), "best_s": min(times), "times_s": times}))
