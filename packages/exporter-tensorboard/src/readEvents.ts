import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { decodeEvent } from './decodeEvent.js';
import { type DecodedValue, decodeSummaryValue } from './decodeSummaryValue.js';
import type { Event } from './Event.js';
import { scanRecords } from './tfrecord.js';

/** One event read from a file, with its record's byte offset and its values interpreted. */
export interface ReadEvent {
  offset: number;
  event: Event;
  values: DecodedValue[];
}

/** A problem found while reading a file. */
export interface ReadIssue {
  /**
   * `torn`: the file ends inside a record (a writer killed mid-write); nothing follows.
   * `corrupt-length`: a record's length fails its CRC; the rest of the file is unreadable.
   * `corrupt-data`: a record's data fails its CRC (e.g. a flipped byte); reading goes on after it.
   * `undecodable`: the CRCs hold but the data is not a valid Event.
   */
  kind: 'torn' | 'corrupt-length' | 'corrupt-data' | 'undecodable';
  offset: number;
  message: string;
}

/** The contents of one event file. */
export interface EventFileContents {
  path: string;
  /** The run: the file's directory relative to the directory read ('.' for the directory itself). */
  run: string;
  events: ReadEvent[];
  issues: ReadIssue[];
}

/** Every event file name TensorBoard would read contains `tfevents`. */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents');
}

/**
 * Reads one event file, or every event file under a directory (recursively; one run per directory,
 * runs sorted, files sorted by name as TensorBoard reads them). CRCs are checked; problems are
 * reported in `issues`, never thrown (only an unreadable path throws).
 */
export async function readEvents(pathOrDir: string): Promise<EventFileContents[]> {
  const st = await stat(pathOrDir);
  if (!st.isDirectory()) {
    return [parseEventFile(await readFile(pathOrDir), pathOrDir, basename(dirname(pathOrDir)) || '.')];
  }
  const files: string[] = [];
  await walk(pathOrDir, files);
  const out: EventFileContents[] = [];
  for (const f of files) {
    const run = relative(pathOrDir, dirname(f)).split(sep).join('/') || '.';
    out.push(parseEventFile(await readFile(f), f, run));
  }
  return out.sort((a, b) => cmp(a.run, b.run) || cmp(basename(a.path), basename(b.path)));
}

/** Parses the bytes of one event file (a pure function: see {@link readEvents}). */
export function parseEventFile(buf: Uint8Array, path = '', run = '.'): EventFileContents {
  const events: ReadEvent[] = [];
  const issues: ReadIssue[] = [];
  const plugins = new Map<string, string>();
  const pluginOf = (tag: string) => plugins.get(tag);
  for (const r of scanRecords(buf)) {
    switch (r.kind) {
      case 'record': {
        let event: Event;
        try {
          event = decodeEvent(r.data);
        } catch (err) {
          issues.push({ kind: 'undecodable', offset: r.offset, message: (err as Error).message });
          break;
        }
        for (const v of event.summary ?? []) {
          if (v.metadata?.pluginName && !plugins.has(v.tag)) plugins.set(v.tag, v.metadata.pluginName);
        }
        events.push({
          offset: r.offset,
          event,
          values: (event.summary ?? []).map((v) => decodeSummaryValue(v, pluginOf)),
        });
        break;
      }
      case 'torn':
        issues.push({
          kind: 'torn',
          offset: r.offset,
          message: `torn last record at byte ${r.offset}: ${r.available} of ${r.expected} bytes present`,
        });
        break;
      case 'corrupt-length':
        issues.push({
          kind: 'corrupt-length',
          offset: r.offset,
          message: `corrupted record length at byte ${r.offset} (CRC mismatch); the rest of the file is unreadable`,
        });
        break;
      case 'corrupt-data':
        issues.push({
          kind: 'corrupt-data',
          offset: r.offset,
          message: `corrupted record at byte ${r.offset} (data CRC mismatch, ${r.length} bytes); skipped`,
        });
        break;
    }
  }
  return { path, run, events, issues };
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && isEventFileName(e.name)) out.push(p);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
