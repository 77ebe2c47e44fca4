import { ProtobufWriter } from '@grpo-otel/protobuf';
import { DataClass, DataType, type SummaryValue } from './Event.js';
import { PLUGIN_HPARAMS } from './summaries.js';

/** Tags of TensorBoard's hparams plugin (plugins/hparams/metadata.py). */
export const HPARAMS_EXPERIMENT_TAG = '_hparams_/experiment';
export const HPARAMS_SESSION_START_INFO_TAG = '_hparams_/session_start_info';
export const HPARAMS_SESSION_END_INFO_TAG = '_hparams_/session_end_info';

export type HparamValue = string | number | boolean;

/** A metric shown in the hparams table: the last value of a scalar tag of the run. */
export interface HparamsMetric {
  tag: string;
  /** Sub-directory of the run holding the tag ('' for the run itself). */
  group?: string;
  displayName?: string;
  description?: string;
  datasetType?: 'training' | 'validation';
}

export interface HparamsOptions {
  /** The run's hyperparameters: numbers, strings and booleans. */
  hparams: Readonly<Record<string, HparamValue>>;
  /** Metrics for the comparison table (scalar tags; a string is a tag). */
  metrics?: readonly (string | HparamsMetric)[];
  /**
   * Also write the experiment summary (hparam and metric declarations). TensorBoard uses the first
   * experiment summary it finds among the runs; write the same declarations in every run of a log
   * directory. Without one it infers the hparams and takes every scalar tag as a metric. Default true.
   */
  experiment?: boolean;
  /** Sessions with the same group name are one row (repeats of one configuration). Default: the run. */
  groupName?: string;
  description?: string;
  user?: string;
  /** Seconds since the epoch. Default: now. */
  startTimeSecs?: number;
}

export type SessionStatus = 'unknown' | 'success' | 'failure' | 'running';

// Field numbers from plugins/hparams/api.proto and plugin_data.proto, and google/protobuf/struct.proto.
const PD_EXPERIMENT = 2;
const PD_SESSION_START_INFO = 3;
const PD_SESSION_END_INFO = 4;
const EXP_DESCRIPTION = 1;
const EXP_USER = 2;
const EXP_TIME_CREATED_SECS = 3;
const EXP_HPARAM_INFOS = 4;
const EXP_METRIC_INFOS = 5;
const HPI_NAME = 1;
const HPI_TYPE = 4;
const MI_NAME = 1;
const MI_DISPLAY_NAME = 3;
const MI_DESCRIPTION = 4;
const MI_DATASET_TYPE = 5;
const MN_GROUP = 1;
const MN_TAG = 2;
const SSI_HPARAMS = 1;
const SSI_GROUP_NAME = 4;
const SSI_START_TIME_SECS = 5;
const MAP_KEY = 1;
const MAP_VALUE = 2;
const VALUE_NUMBER = 2;
const VALUE_STRING = 3;
const VALUE_BOOL = 4;
const SEI_STATUS = 1;
const SEI_END_TIME_SECS = 2;
const HP_TYPE = { string: 1, boolean: 2, number: 3 } as const; // DATA_TYPE_STRING, _BOOL, _FLOAT64
const DATASET = { training: 1, validation: 2 } as const;
const STATUS: Record<SessionStatus, number> = { unknown: 0, success: 1, failure: 2, running: 3 };

/**
 * The hparams plugin's summaries for one run (write them at step 0): the experiment declaration
 * (unless `experiment: false`) and the session start with the run's hyperparameters. End the session
 * with {@link hparamsSessionEndSummary}. Hyperparameters must be finite numbers, strings or booleans.
 */
export function hparamsSummaries(options: HparamsOptions): SummaryValue[] {
  const entries = Object.entries(options.hparams ?? {});
  for (const [k, v] of entries) {
    if (!(typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      throw new TypeError(`hparams: ${k} must be a finite number, a string or a boolean, got ${String(v)}`);
    }
  }
  const start = options.startTimeSecs ?? Date.now() / 1000;
  const out: SummaryValue[] = [];
  if (options.experiment ?? true) {
    const w = new ProtobufWriter(512);
    const e = w.fork(PD_EXPERIMENT);
    if (options.description) w.stringField(EXP_DESCRIPTION, options.description);
    if (options.user) w.stringField(EXP_USER, options.user);
    w.doubleField(EXP_TIME_CREATED_SECS, start);
    for (const [name, v] of entries) {
      const h = w.fork(EXP_HPARAM_INFOS);
      w.stringField(HPI_NAME, name);
      w.varintField(HPI_TYPE, HP_TYPE[typeof v as 'string' | 'number' | 'boolean']);
      w.ldelim(h);
    }
    for (const m of options.metrics ?? []) {
      const metric: HparamsMetric = typeof m === 'string' ? { tag: m } : m;
      const mi = w.fork(EXP_METRIC_INFOS);
      const mn = w.fork(MI_NAME);
      if (metric.group) w.stringField(MN_GROUP, metric.group);
      w.stringField(MN_TAG, metric.tag);
      w.ldelim(mn);
      if (metric.displayName) w.stringField(MI_DISPLAY_NAME, metric.displayName);
      if (metric.description) w.stringField(MI_DESCRIPTION, metric.description);
      if (metric.datasetType) w.varintField(MI_DATASET_TYPE, DATASET[metric.datasetType]);
      w.ldelim(mi);
    }
    w.ldelim(e);
    out.push(hparamsValue(HPARAMS_EXPERIMENT_TAG, w.finish()));
  }
  const w = new ProtobufWriter(512);
  const s = w.fork(PD_SESSION_START_INFO);
  for (const [name, v] of entries) {
    const entry = w.fork(SSI_HPARAMS);
    w.stringField(MAP_KEY, name);
    const val = w.fork(MAP_VALUE);
    if (typeof v === 'number') w.doubleField(VALUE_NUMBER, v);
    else if (typeof v === 'string') w.stringField(VALUE_STRING, v);
    else w.boolField(VALUE_BOOL, v);
    w.ldelim(val);
    w.ldelim(entry);
  }
  if (options.groupName) w.stringField(SSI_GROUP_NAME, options.groupName);
  w.doubleField(SSI_START_TIME_SECS, start);
  w.ldelim(s);
  out.push(hparamsValue(HPARAMS_SESSION_START_INFO_TAG, w.finish()));
  return out;
}

/** The hparams plugin's session end: the run's status and end time (seconds; default now). */
export function hparamsSessionEndSummary(
  status: SessionStatus,
  endTimeSecs = Date.now() / 1000,
): SummaryValue {
  const w = new ProtobufWriter(32);
  const s = w.fork(PD_SESSION_END_INFO);
  w.varintField(SEI_STATUS, STATUS[status] ?? 0);
  w.doubleField(SEI_END_TIME_SECS, endTimeSecs);
  w.ldelim(s);
  return hparamsValue(HPARAMS_SESSION_END_INFO_TAG, w.finish());
}

function hparamsValue(tag: string, content: Uint8Array): SummaryValue {
  return {
    tag,
    metadata: { pluginName: PLUGIN_HPARAMS, pluginContent: content, dataClass: DataClass.TENSOR },
    // The plugin reads only the metadata; its own writer stores an empty float tensor of shape [0].
    tensor: { dtype: DataType.DT_FLOAT, shape: [0] },
  };
}
