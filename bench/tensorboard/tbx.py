"""tensorboardX's side of the TensorBoard writer benchmark (see run.mjs): writes the same workload
with SummaryWriter (add_scalar, add_histogram with its default 'tensorflow' bins) and prints one JSON
line of timings. Values are generated before timing starts."""
import json
import math
import os
import shutil
import sys
import tempfile
import time

import numpy as np
from tensorboardX import SummaryWriter

w = json.loads(sys.argv[1]) if len(sys.argv) > 1 else json.load(
    open(os.path.join(os.path.dirname(__file__), 'workload.json')))


def histogram_values(seed, n, step):
    x = seed
    out = np.empty(n)
    for i in range(n):
        x = (x * 48271) % 2147483647
        out[i] = (x / 2147483647 - 0.5) * 4 * (1 + step / 1000)
    return out


def dir_bytes(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)


def time_run(name, steps, per_step):
    logdir = tempfile.mkdtemp(prefix='grpo-bench-tbx-%s-' % name)
    start = time.perf_counter()
    writer = SummaryWriter(os.path.join(logdir, 'tensorboardx'))
    for step in range(steps):
        per_step(writer, step)
    writer.close()  # flushes its queue and the file
    seconds = time.perf_counter() - start
    return {'seconds': seconds, 'bytes': dir_bytes(logdir), 'dir': logdir}


tags = ['bench/scalar_%d' % t for t in range(w['scalarTags'])]


def scalar_step(writer, step):
    for t, tag in enumerate(tags):
        writer.add_scalar(tag, math.sin(step * 0.001 + t), step)


scalar = time_run('scalars', w['scalarSteps'], scalar_step)

h_tags = ['bench/histogram_%d' % t for t in range(w['histogramTags'])]
values = [[histogram_values(1 + step * w['histogramTags'] + t, w['valuesPerHistogram'], step)
           for t in range(len(h_tags))] for step in range(w['histogramSteps'])]


def histogram_step(writer, step):
    row = values[step]
    for t, tag in enumerate(h_tags):
        writer.add_histogram(tag, row[t], step)


histo = time_run('histograms', w['histogramSteps'], histogram_step)
out = {
    'writer': 'tensorboardX',
    'scalars': dict(records=w['scalarTags'] * w['scalarSteps'], **scalar),
    'histograms': dict(records=w['histogramTags'] * w['histogramSteps'], **histo),
}
print(json.dumps(out))
