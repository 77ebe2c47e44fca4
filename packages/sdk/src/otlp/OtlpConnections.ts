import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent, AgentOptions as HttpsAgentOptions } from 'node:https';
import type { Socket } from 'node:net';

type AnyAgent = HttpAgent | HttpsAgent;
type CreateConnection = (
  options: unknown,
  callback: (err: Error | null, socket?: Socket) => void,
) => undefined;

/**
 * The HTTP agents of the OTLP exporters, so that shutdown can let go of the network at its deadline.
 * OTel's exporter keeps an export's request (and its own retries, up to its timeout) going after our
 * queue has given up on it, which keeps the process alive that long after `shutdown()` returned:
 * `abort()` destroys the agents' sockets with an error OTel does not retry, and makes every later
 * connection fail the same way at once.
 */
export class OtlpConnections {
  private readonly agents = new Set<AnyAgent>();
  private aborted = false;

  /**
   * An agent factory for OTel's exporter config (`httpAgentOptions` given as a function). The modules
   * are loaded when the first export runs, as OTel's own factory does (so that an http
   * instrumentation loaded later still sees them first).
   */
  agentFactory(options: HttpsAgentOptions): (protocol: string) => Promise<AnyAgent> {
    return async (protocol) => {
      let agent: AnyAgent;
      if (protocol === 'http:') {
        // What OTel's own factory does: no TLS settings on a plain-HTTP agent.
        const { ca: _ca, cert: _cert, key: _key, ...plain } = options;
        agent = new (await import('node:http')).Agent(plain);
      } else {
        agent = new (await import('node:https')).Agent(options);
      }
      this.agents.add(agent);
      if (this.aborted) this.refuse(agent);
      return agent;
    };
  }

  /** Cuts every connection: requests in flight fail now, later ones fail at once. Idempotent. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const agent of this.agents) {
      this.refuse(agent);
      for (const list of Object.values(agent.sockets)) for (const s of list ?? []) s.destroy(shutdownError());
      // Idle keep-alive sockets have no request to tell: closed quietly.
      for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
    }
  }

  private refuse(agent: AnyAgent): void {
    const refuse: CreateConnection = (_options, callback) => {
      callback(shutdownError());
      return undefined;
    };
    (agent as unknown as { createConnection: CreateConnection }).createConnection = refuse;
  }
}

function shutdownError(): Error {
  return Object.assign(new Error('the SDK has shut down (shutdown deadline passed)'), {
    code: 'ERR_GRPO_OTEL_SHUT_DOWN',
  });
}
