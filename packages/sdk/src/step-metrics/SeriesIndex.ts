import type { Attributes } from '@opentelemetry/api';
import {
  keyTellsAttributes,
  newSeriesState,
  pointAttributes,
  type SeriesState,
  type StepInstrument,
  seriesKey,
} from './StepBuffer.js';

/** A series, and the attributes a point recorded with the attributes asked for carries. */
export interface SeriesView {
  readonly state: SeriesState;
  /** The series' shared copy when its key tells these attributes exactly, else these attributes. */
  readonly attributes: Attributes;
}

/** A node of the lookup tree: the series of the path to it, and the next attribute's values. */
interface Node {
  state: SeriesState | undefined;
  /** The view of the path, when its attributes are told exactly by the key (then shared). */
  view: SeriesView | undefined;
  /** Attribute key -> value -> node. */
  next: Map<string, Map<unknown, Node>> | undefined;
}

/**
 * The series of the step sink, by key ({@link seriesKey}: instrument id and attributes), found without
 * building the key on every value. A frozen attributes object (arrays in it frozen too) cannot
 * change: its series are kept with it, by instrument id. A plain attributes object whose values are
 * all primitives (but -0) walks a tree keyed by the instrument id, then each attribute key and
 * value in the object's order, all of which are strings and numbers the caller already holds (hashed
 * once by the engine, unlike a new key string). Equal paths always mean equal keys and equal
 * contents, so every path leads to the state its key names, and whether the key tells the
 * attributes exactly is decided once per path; several paths may lead to one state (another key
 * order; NaN and null, whose keys are equal). Anything else builds the key.
 */
export class SeriesIndex {
  private readonly byKey = new Map<string, SeriesState>();
  /** The views of each frozen attributes object, by instrument id (null: not frozen all through). */
  private readonly frozen = new WeakMap<Attributes, Map<string, SeriesView> | null>();
  private readonly roots = new Map<string, Node>();

  /** Number of series. */
  get size(): number {
    return this.byKey.size;
  }

  /** The series of `instrument` with `attributes` (created when first seen), and its point's attributes. */
  get(instrument: StepInstrument, attributes: Attributes): SeriesView {
    if (typeof attributes !== 'object' || attributes === null) return this.view(instrument, attributes);
    if (Object.isFrozen(attributes)) {
      let byId = this.frozen.get(attributes);
      if (byId === undefined) {
        byId = deeplyFrozen(attributes) ? new Map() : null;
        this.frozen.set(attributes, byId);
      }
      if (byId !== null) {
        let view = byId.get(instrument.id);
        if (view === undefined) {
          view = this.view(instrument, attributes);
          byId.set(instrument.id, view);
        }
        return view;
      }
    }
    // Another prototype may lend keys a tag reads: such objects take the slow path.
    if (Object.getPrototypeOf(attributes) !== Object.prototype) return this.view(instrument, attributes);
    const node = this.leaf(instrument.id, attributes);
    if (node === undefined) return this.view(instrument, attributes);
    if (node.view !== undefined) return node.view;
    if (node.state === undefined) {
      // Exactness depends on the path only (its keys and values), so it is decided once.
      const view = this.view(instrument, attributes);
      node.state = view.state;
      if (view.attributes !== attributes) node.view = view;
      return view;
    }
    return { state: node.state, attributes };
  }

  /** The view of `attributes`, found by building its key. */
  private view(instrument: StepInstrument, attributes: Attributes): SeriesView {
    const key = seriesKey(instrument, attributes);
    let state = this.byKey.get(key);
    if (state === undefined) {
      state = newSeriesState(key);
      this.byKey.set(key, state);
    }
    return { state, attributes: pointAttributes(state, attributes, keyTellsAttributes(attributes)) };
  }

  /** The tree node of `attributes` under `id`; undefined when a value is not a primitive. */
  private leaf(id: string, attributes: Attributes): Node | undefined {
    let node = this.roots.get(id);
    if (node === undefined) {
      node = { state: undefined, view: undefined, next: undefined };
      this.roots.set(id, node);
    }
    // Own enumerable keys in the object's order: objects listing their keys in another order take
    // another path to the same state.
    for (const k in attributes) {
      if (!Object.hasOwn(attributes, k)) continue;
      const v: unknown = attributes[k];
      // Objects may change; -0 would share 0's node (Map keys compare as SameValueZero) but is not
      // told exactly by its key.
      if ((typeof v === 'object' && v !== null) || typeof v === 'function' || Object.is(v, -0)) {
        return undefined;
      }
      node.next ??= new Map();
      let values = node.next.get(k);
      if (values === undefined) {
        values = new Map();
        node.next.set(k, values);
      }
      let next = values.get(v);
      if (next === undefined) {
        next = { state: undefined, view: undefined, next: undefined };
        values.set(v, next);
      }
      node = next;
    }
    return node;
  }
}

/** Whether nothing reachable from `attributes` can change: it is frozen, and so is every array in it. */
function deeplyFrozen(attributes: Attributes): boolean {
  for (const k of Object.keys(attributes)) {
    const v: unknown = attributes[k];
    if (typeof v === 'object' && v !== null && !(Array.isArray(v) && Object.isFrozen(v))) return false;
  }
  return true;
}
