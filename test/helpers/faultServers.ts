// Servers that produce collector faults the real collector cannot produce on demand, for the
// backpressure tests. Everything binds to 127.0.0.1 and is closed by the test that started it.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Socket } from 'node:net';

export interface StallServer {
  port: number;
  /** Connections accepted so far (none is ever answered). */
  accepted(): number;
  /** Request bytes received so far. */
  bytesReceived(): number;
  /** Destroys every held connection and stops listening (the port is free again). */
  close(): Promise<void>;
}

/**
 * A TCP server that accepts connections, reads what is sent and never answers: a collector that hangs
 * (e.g. blocked on a full disk or a stuck pipeline). The real collector cannot be made to stall on demand.
 */
export function startStallServer(port = 0): Promise<StallServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let bytes = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no address'));
        return;
      }
      resolve({
        port: address.port,
        accepted: () => accepted,
        bytesReceived: () => bytes,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export type FaultMode =
  | { kind: 'status'; statuses: number[] } // answer these statuses in turn (cycling)
  | { kind: 'forward'; target: string }; // pass requests through to a real collector

export interface FaultProxy {
  port: number;
  endpoint: string;
  setMode(mode: FaultMode): void;
  /** Answers sent, by HTTP status ('503') and by path and status ('/v1/logs 503'); forwarded ones by the collector's status. */
  answered(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP endpoint that answers with chosen error statuses (503, 500, 400 ...) for as long as a
 * test wants, then forwards every request to a real collector. The real collector returns such errors
 * only in conditions a test cannot hold for minutes (its memory_limiter refuses only under real memory
 * pressure), so this fault is injected in front of it; what arrives is still counted by the collector.
 */
export function startFaultProxy(initial: FaultMode): Promise<FaultProxy> {
  let mode = initial;
  // Each path (/v1/logs, /v1/metrics, /v1/traces) goes through the statuses on its own.
  const turns = new Map<string, number>();
  const answered = new Map<string, number>();
  const count = (path: string, status: number) => {
    for (const key of [String(status), `${path} ${status}`]) answered.set(key, (answered.get(key) ?? 0) + 1);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const m = mode;
    const path = req.url ?? '/';
    if (m.kind === 'status') {
      const turn = turns.get(path) ?? 0;
      turns.set(path, turn + 1);
      const status = m.statuses[turn % m.statuses.length]!;
      count(path, status);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`injected fault ${status}`);
      return;
    }
    try {
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'content-encoding']) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      const r = await fetch(`${m.target}${req.url ?? '/'}`, { method: 'POST', headers, body });
      const out = Buffer.from(await r.arrayBuffer());
      count(path, r.status);
      res.writeHead(r.status, {
        'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
      });
      res.end(out);
    } catch {
      count(path, 502);
      res.writeHead(502).end();
    }
  };
  const server = createHttpServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no address'));
        return;
      }
      resolve({
        port: address.port,
        endpoint: `http://127.0.0.1:${address.port}`,
        setMode: (m) => {
          mode = m;
          turns.clear();
        },
        answered: () => new Map(answered),
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
