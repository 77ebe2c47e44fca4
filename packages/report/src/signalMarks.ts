import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SIGNAL_KIND, METRICS } from '@grpo-otel/semconv';
import { parseLogText } from './parseLogText.js';
import type { SignalMark } from './ReportModel.js';
import type { RunContents } from './RunFolder.js';

const ACTIVE = METRICS.signalActive.name;

/**
 * Where plateau and collapse detectors switched on: each rise of a `grpo.signal.active/<kind>[/<fn>]`
 * scalar to 1 (from 0, or at its first point), joined with the detector's warning on the `metrics`
 * channel (any `logs/*` text whose record carries `grpo.signal.kind`) at the same step, which gives
 * the detail. Warnings without a scalar (the metric not routed to TensorBoard) count on their own.
 * Sorted by step, then kind and subject.
 */
export function signalMarks(runs: readonly RunContents[]): SignalMark[] {
  const marks = new Map<string, SignalMark>();
  const key = (step: number, kind: string, subject: string) => `${step}\u0000${kind}\u0000${subject}`;
  for (const r of runs) {
    for (const [tag, points] of r.scalars) {
      if (!tag.startsWith(`${ACTIVE}/`)) continue;
      const [kind = '', ...rest] = tag.slice(ACTIVE.length + 1).split('/');
      const subject = rest.join('/');
      let previous = 0;
      for (const p of points) {
        const on = p.value >= 0.5;
        if (on && previous < 0.5)
          marks.set(key(p.step, kind, subject), { step: p.step, kind, subject, source: 'scalar' });
        previous = on ? 1 : 0;
      }
    }
    for (const [tag, points] of r.texts) {
      if (!tag.startsWith('logs/')) continue;
      for (const p of points) {
        if (!p.text.includes('grpo\\.signal\\.kind')) continue;
        for (const rec of parseLogText(p.text)) {
          const kind = rec.attributes[ATTR_GRPO_SIGNAL_KIND];
          if (!kind) continue;
          const subject = rec.attributes[ATTR_GRPO_REWARD_FUNCTION] ?? '';
          const k = key(p.step, kind, subject);
          const existing = marks.get(k);
          if (existing) {
            existing.detail ??= rec.message;
            if (existing.source === 'scalar') existing.source = 'both';
          } else marks.set(k, { step: p.step, kind, subject, detail: rec.message, source: 'log' });
        }
      }
    }
  }
  return [...marks.values()].sort(
    (a, b) => a.step - b.step || cmp(a.kind, b.kind) || cmp(a.subject, b.subject),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
