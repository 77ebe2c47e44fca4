import { readEvents } from '@grpo-otel/exporter-tensorboard';

/** Every scalar of a TensorBoard run directory, by tag: [step, value] in file order. */
export async function scalarsOf(runDir: string): Promise<Map<string, [number, number][]>> {
  const out = new Map<string, [number, number][]>();
  for (const f of await readEvents(runDir)) {
    for (const e of f.events) {
      for (const v of e.values) {
        if (v.kind !== 'scalar') continue;
        let list = out.get(v.tag);
        if (!list) {
          list = [];
          out.set(v.tag, list);
        }
        list.push([e.event.step, v.value]);
      }
    }
  }
  return out;
}

/** Tags of every text and histogram value of a run directory, with the steps they were written at. */
export async function tagsOf(runDir: string, kind: 'text' | 'histogram'): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const f of await readEvents(runDir)) {
    for (const e of f.events) {
      for (const v of e.values) {
        if (v.kind !== kind) continue;
        let list = out.get(v.tag);
        if (!list) {
          list = [];
          out.set(v.tag, list);
        }
        list.push(e.event.step);
      }
    }
  }
  return out;
}
