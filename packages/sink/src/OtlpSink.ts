import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ProtoDecodeError } from '@grpo-otel/protobuf';
import type { AnalysisSettings } from '@grpo-otel/sdk/otel';
import { diag } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AnalysisForwarder } from './AnalysisForwarder.js';
import { decodeOtlpProtobuf } from './decodeOtlpProtobuf.js';
import type { OtlpLogsRequest, OtlpMetricsRequest, OtlpSignal, OtlpTracesRequest } from './OtlpRequest.js';
import { OtlpJsonError, parseOtlpJson } from './parseOtlpJson.js';
import { SINK_ORIGIN_ATTRIBUTE } from './RunAnalyses.js';
import { runIdentity } from './runIdentity.js';
import { SinkRun } from './SinkRun.js';
import { SinkStats } from './SinkStats.js';
import { toLogRecords } from './toLogRecords.js';
import { toResourceMetrics } from './toResourceMetrics.js';
import { toSpanLines } from './toSpanLines.js';

/** The model-outputs CSV columns of the SDK's embedded default config. */
export const DEFAULT_CSV_COLUMNS: readonly string[] = Object.freeze([
  'timestamp',
  'step',
  'question',
  'true_answer',
  'model_answer',
  'model_reasoning',
  'correct',
]);

/** Channels written as TensorBoard text as well, as in the SDK's embedded default config. */
export const DEFAULT_TEXT_CHANNELS: readonly string[] = Object.freeze(['training', 'rewards', 'metrics']);

export interface OtlpSinkTlsOptions {
  /** PEM certificate (chain) of the listener. */
  certFile: string;
  /** PEM private key of the listener. */
  keyFile: string;
  /** PEM CA bundle: when set, clients must present a certificate it signed (mutual TLS). */
  clientCaFile?: string;
}

export interface OtlpSinkOptions {
  /**
   * Where runs are written: `<outDir>/tensorboard/<run>`, `<outDir>/<run>/model_outputs.csv`,
   * `<outDir>/<run>/logs/`, `<outDir>/<run>/traces.jsonl`.
   */
  outDir: string;
  /** Listen address. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Listen port; 0 picks a free one. Default 4319. */
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401), like the collector's bearertokenauth. */
  token?: string;
  /** Serve HTTPS (like the collector's `tls` receiver settings). */
  tls?: OtlpSinkTlsOptions;
  /** Largest request body, compressed and after gunzip. Default 20 MiB (the collector's default). */
  maxRequestBytes?: number;
  /** Requests handled at once; more are answered 503 (the collector retries them). Default 16. */
  maxConcurrentRequests?: number;
  /** One TensorBoard run per rank (`<run>/rank-<n>`) instead of one per run. Default false. */
  splitByRank?: boolean;
  /** Settings of the step analyses (`grpo.step.batch`); false turns them off. */
  analysis: AnalysisSettings | false;
  /** Where the analyses are sent back (the collector's OTLP/HTTP base URL); none by default. */
  otlpEndpoint?: string;
  /** Headers for `otlpEndpoint` (e.g. a bearer token). */
  otlpHeaders?: Record<string, string>;
  /** Runs kept open at once; the least recently used one is closed (and reopened if it sends again). Default 64. */
  maxRuns?: number;
  /** Log files per run (one per channel) at most. Default 32. */
  maxChannels?: number;
  csvColumns?: readonly string[];
  textChannels?: readonly string[];
}

const DEFAULT_MAX_REQUEST_BYTES = 20 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SIGNALS: Readonly<Record<string, OtlpSignal>> = {
  '/v1/logs': 'logs',
  '/v1/metrics': 'metrics',
  '/v1/traces': 'traces',
};

/**
 * The collector-side sink: an OTLP/HTTP receiver (`/v1/logs`, `/v1/metrics`, `/v1/traces`; protobuf
 * or JSON; gzip or identity) writing per run what the SDK's handlers write (see {@link SinkRun}) and
 * running the SDK's step analyses on `grpo.step.batch` records, whose metrics and signals also go
 * back through the collector (`otlpEndpoint`). Spans go to the run's trace file, one OTLP/JSON line
 * each (a span that cannot be read is counted as `bad_span` and left out). Requests are answered once
 * their data is handed to the writers; a bad body is a 400, a body over `maxRequestBytes` a 413, a
 * missing or wrong token a 401, an unknown media type a 415, too many requests at once a 503; each is
 * counted. `GET /` answers the counters as JSON (a health check).
 */
export class OtlpSink {
  readonly stats = new SinkStats();
  private readonly runs = new Map<string, SinkRun>();
  private readonly server: Server;
  private readonly forwarder: AnalysisForwarder | undefined;
  private readonly options: Required<
    Pick<
      OtlpSinkOptions,
      'host' | 'port' | 'maxRequestBytes' | 'maxConcurrentRequests' | 'maxRuns' | 'maxChannels'
    >
  > &
    OtlpSinkOptions;
  private readonly textChannels: ReadonlySet<string>;
  private readonly token: Buffer | undefined;
  private inFlight = 0;
  private readonly pending = new Set<Promise<void>>();
  private shutdownPromise: Promise<void> | undefined;
  private address: string | undefined;

  constructor(options: OtlpSinkOptions) {
    if (options === null || typeof options !== 'object')
      throw new TypeError('OtlpSink: options must be an object');
    if (typeof options.outDir !== 'string' || options.outDir === '')
      throw new TypeError('OtlpSink: outDir must be a non-empty string');
    const positiveInt = (name: string, v: number | undefined, dflt: number, min = 1): number => {
      if (v === undefined) return dflt;
      if (!Number.isSafeInteger(v) || v < min)
        throw new TypeError(`OtlpSink: ${name} must be an integer >= ${min}, got ${String(v)}`);
      return v;
    };
    const port = positiveInt('port', options.port, 4319, 0);
    if (port > 65535) throw new TypeError(`OtlpSink: port must be at most 65535, got ${port}`);
    if (options.token !== undefined && (typeof options.token !== 'string' || options.token === ''))
      throw new TypeError('OtlpSink: token must be a non-empty string');
    this.options = {
      ...options,
      host: options.host ?? '127.0.0.1',
      port,
      maxRequestBytes: positiveInt('maxRequestBytes', options.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES),
      maxConcurrentRequests: positiveInt('maxConcurrentRequests', options.maxConcurrentRequests, 16),
      maxRuns: positiveInt('maxRuns', options.maxRuns, 64),
      maxChannels: positiveInt('maxChannels', options.maxChannels, 32),
    };
    this.textChannels = new Set(options.textChannels ?? DEFAULT_TEXT_CHANNELS);
    this.token = options.token !== undefined ? Buffer.from(`Bearer ${options.token}`) : undefined;
    this.forwarder = options.otlpEndpoint
      ? new AnalysisForwarder({
          endpoint: options.otlpEndpoint,
          ...(options.otlpHeaders ? { headers: options.otlpHeaders } : {}),
        })
      : undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res);
    if (options.tls) {
      const { certFile, keyFile, clientCaFile } = options.tls;
      this.server = createHttpsServer(
        {
          cert: readFileSync(certFile),
          key: readFileSync(keyFile),
          ...(clientCaFile
            ? { ca: readFileSync(clientCaFile), requestCert: true, rejectUnauthorized: true }
            : {}),
        },
        handler,
      );
    } else {
      this.server = createHttpServer(handler);
    }
  }

  /** Starts listening; resolves to the base URL (e.g. `http://127.0.0.1:4319`). */
  listen(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        const a = this.server.address() as AddressInfo;
        const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
        this.address = `${this.options.tls ? 'https' : 'http'}://${host}:${a.port}`;
        resolve(this.address);
      });
    });
  }

  /** The base URL once listening. */
  get url(): string | undefined {
    return this.address;
  }

  /** The output folder. */
  get outDir(): string {
    return this.options.outDir;
  }

  /** Writes a decoded logs request (what a POST to /v1/logs does after decoding). */
  async ingestLogs(request: OtlpLogsRequest): Promise<void> {
    const records = toLogRecords(request);
    this.stats.logRecords += records.length;
    const byRun = new Map<SinkRun, ReadableLogRecord[]>();
    for (const r of records) {
      if (r.instrumentationScope.attributes?.[SINK_ORIGIN_ATTRIBUTE] === true) {
        this.stats.ownRecords++;
        continue;
      }
      const run = this.runFor(r.resource);
      let list = byRun.get(run);
      if (!list) {
        list = [];
        byRun.set(run, list);
      }
      list.push(r);
    }
    await Promise.all([...byRun].map(([run, list]) => run.writeLogs(list)));
  }

  /** Writes a decoded metrics request. */
  async ingestMetrics(request: OtlpMetricsRequest): Promise<void> {
    const { resourceMetrics, points, skipped } = toResourceMetrics(request);
    this.stats.metricPoints += points;
    if (skipped > 0) this.stats.drop('unsupported_metric', skipped);
    const waits: Promise<void>[] = [];
    for (const rm of resourceMetrics) {
      const own = rm.scopeMetrics.filter(
        (s) =>
          (s.scope as { attributes?: Record<string, unknown> }).attributes?.[SINK_ORIGIN_ATTRIBUTE] === true,
      );
      if (own.length > 0) {
        for (const s of own) for (const m of s.metrics) this.stats.ownRecords += m.dataPoints.length;
        rm.scopeMetrics = rm.scopeMetrics.filter((s) => !own.includes(s));
      }
      if (rm.scopeMetrics.length === 0) continue;
      waits.push(this.runFor(rm.resource).writeMetrics(rm as ResourceMetrics));
    }
    await Promise.all(waits);
  }

  /** Writes a decoded traces request's spans, one OTLP/JSON line each, to their runs' trace files. */
  async ingestTraces(request: OtlpTracesRequest): Promise<void> {
    const waits: Promise<void>[] = [];
    let bad = 0;
    for (const { resource, lines, bad: unreadable } of toSpanLines(request)) {
      this.stats.spans += lines.length + unreadable;
      bad += unreadable;
      if (lines.length > 0) waits.push(this.runFor(resource).writeSpans(lines));
    }
    if (bad > 0) {
      this.stats.drop('bad_span', bad);
      diag.warn(
        `grpo-otel sink: ${bad} span(s) could not be read (malformed, or ids or times missing); left out`,
      );
    }
    await Promise.all(waits);
  }

  /** Resolves when everything received so far is written and synced. */
  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await Promise.allSettled([...this.runs.values()].map((r) => r.flush()));
    await this.forwarder?.forceFlush().catch(() => undefined);
  }

  /**
   * Stops listening, waits for the requests in progress, then flushes and closes every run and sends
   * what the analyses still have in flight. Idempotent.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeIdleConnections?.();
      await Promise.allSettled([...this.pending]);
      await Promise.allSettled([...this.runs.values()].map((r) => r.close()));
      this.runs.clear();
      await this.forwarder?.shutdown();
      this.server.closeAllConnections?.();
      await closed;
    })();
    return this.shutdownPromise;
  }

  private runFor(resource: Resource): SinkRun {
    const { run } = runIdentity(resource.attributes, this.options.splitByRank === true);
    let r = this.runs.get(run);
    if (r && !r.closed) return r;
    if (this.runs.size >= this.options.maxRuns) this.closeLeastRecentlyUsed();
    r = new SinkRun({
      outDir: this.options.outDir,
      run,
      resource: resourceFromAttributes(resource.attributes),
      stats: this.stats,
      ...(this.options.analysis ? { analysis: this.options.analysis } : {}),
      csvColumns: this.options.csvColumns ?? DEFAULT_CSV_COLUMNS,
      textChannels: this.textChannels,
      maxChannels: this.options.maxChannels,
      aggregateRanks: this.options.splitByRank !== true,
      ...(this.forwarder ? { forwarder: this.forwarder } : {}),
    });
    this.runs.set(run, r);
    this.stats.runs++;
    return r;
  }

  private closeLeastRecentlyUsed(): void {
    let oldest: SinkRun | undefined;
    for (const r of this.runs.values()) if (!oldest || r.lastUsed < oldest.lastUsed) oldest = r;
    if (!oldest) return;
    this.runs.delete(oldest.name);
    void oldest.close();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && (path === '/' || path === '/health')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.stats.snapshot()));
      return;
    }
    const done = this.handle(req, res, path).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status >= 500 && !(err instanceof HttpError)) diag.error('grpo-otel sink: request failed', err);
      this.stats.drop('rejected_request');
      if (!res.headersSent) {
        const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
        if (status === 503) headers['retry-after'] = '1';
        if (status === 401) headers['www-authenticate'] = 'Bearer';
        res.writeHead(status, headers);
      }
      res.end(err instanceof Error ? `${err.message}\n` : 'error\n');
      // Drain what the client still sends, so it reads the answer.
      req.resume();
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    this.stats.requests++;
    const signal = SIGNALS[path];
    if (!signal)
      throw new HttpError(404, `unknown path ${path}: POST to /v1/logs, /v1/metrics or /v1/traces`);
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} is not allowed: POST`);
    if (this.shutdownPromise) throw new HttpError(503, 'the sink is shutting down');
    if (this.token) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== this.token.length || !timingSafeEqual(got, this.token))
        throw new HttpError(401, 'missing or wrong bearer token');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json';
    if (!json && type !== 'application/x-protobuf' && type !== 'application/protobuf')
      throw new HttpError(
        415,
        `content-type must be application/x-protobuf or application/json, got '${type}'`,
      );
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip')
      throw new HttpError(415, `content-encoding must be gzip or identity, got '${encoding}'`);
    if (this.inFlight >= this.options.maxConcurrentRequests)
      throw new HttpError(503, 'too many requests at once');
    this.inFlight++;
    try {
      let body = await readBody(req, this.options.maxRequestBytes);
      if (encoding === 'gzip') {
        try {
          body = gunzipSync(body, { maxOutputLength: this.options.maxRequestBytes });
        } catch (err) {
          const tooLarge =
            (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /larger than/.test(String(err));
          throw new HttpError(
            tooLarge ? 413 : 400,
            tooLarge
              ? `the body is over ${this.options.maxRequestBytes} bytes after gunzip`
              : `bad gzip body: ${(err as Error).message}`,
          );
        }
      }
      let request: OtlpLogsRequest | OtlpMetricsRequest | OtlpTracesRequest;
      try {
        request = json ? parseOtlpJson(signal, body.toString('utf8')) : decodeOtlpProtobuf(signal, body);
      } catch (err) {
        if (err instanceof ProtoDecodeError || err instanceof OtlpJsonError)
          throw new HttpError(
            400,
            `bad ${json ? 'OTLP/JSON' : 'OTLP protobuf'} ${signal} request: ${err.message}`,
          );
        throw err;
      }
      if (signal === 'logs') await this.ingestLogs(request as OtlpLogsRequest);
      else if (signal === 'metrics') await this.ingestMetrics(request as OtlpMetricsRequest);
      else await this.ingestTraces(request as OtlpTracesRequest);
    } finally {
      this.inFlight--;
    }
    if (json) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max)
    return Promise.reject(new HttpError(413, `the body is over ${max} bytes`));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > max) {
        failed = true;
        chunks.length = 0;
        reject(new HttpError(413, `the body is over ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(new HttpError(400, `reading the body failed: ${err.message}`));
      }
    });
  });
}
