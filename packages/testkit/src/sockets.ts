// The TCP addresses a process listens on, from /proc (Linux): its socket inodes (/proc/<pid>/fd) matched
// against the LISTEN entries of /proc/net/tcp and tcp6. For checks that a server binds loopback only.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** `a.b.c.d:port` or `[v6]:port` of every TCP socket the process listens on. */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed while listing
    }
  }
  const out: string[] = [];
  for (const [file, v6] of [
    [`/proc/${pid}/net/tcp`, false],
    [`/proc/${pid}/net/tcp6`, true],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue;
      const [hexAddr, hexPort] = cols[1]!.split(':') as [string, string];
      out.push(`${v6 ? `[${ipv6(hexAddr)}]` : ipv4(hexAddr)}:${Number.parseInt(hexPort, 16)}`);
    }
  }
  return out;
}

/** /proc's IPv4: one little-endian 32-bit word. */
function ipv4(hex: string): string {
  const bytes = hex.match(/../g)!.map((b) => Number.parseInt(b, 16));
  return bytes.reverse().join('.');
}

/** /proc's IPv6: four little-endian 32-bit words; printed uncompressed (e.g. 0:0:0:0:0:0:0:1). */
function ipv6(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words
    .join('')
    .match(/.{4}/g)!
    .map((g) => Number.parseInt(g, 16).toString(16));
  return groups.join(':');
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z. */
export function isLoopback(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(':'));
  if (host.startsWith('127.')) return true;
  if (host === '[0:0:0:0:0:0:0:1]') return true;
  return /^\[0:0:0:0:0:ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}
