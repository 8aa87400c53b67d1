/**
 * A free loopback port for a process the suite starts and tells where to listen (a seller, an agent, a
 * mock server, a benchmark peer).
 *
 * Asking the kernel for port 0 and closing the probe is racy in a particular way: the port it hands out comes
 * from the ephemeral range, the same range every outgoing connection on the machine draws its local port from.
 * Between the probe closing and the child binding (seconds, when Playwright starts workers first), any
 * connection can take that port, and the child dies with EADDRINUSE. CI saw exactly that once (a launched
 * agent, port 45573, under a busy `npm test`). So the port is drawn from below the ephemeral range, where
 * only explicit binds land, and probed there. Another process choosing the same port at the same moment is
 * still possible in principle (one chance in ~10,000 per pair of simultaneous choices), which a bind-and-hold
 * design would remove; the children here are configured by URL before they start, so that is not available.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Linux publishes its ephemeral range; elsewhere (macOS, Windows) the IANA range 49152-65535 is the default. */
export function ephemeralRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): { low: number; high: number } {
  try {
    const [low, high] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! > 0 && high! >= low!) return { low: low!, high: high! };
  } catch {
    // not Linux, or not readable: the IANA default below
  }
  return { low: 49152, high: 65535 };
}

/** The band the suite draws from: above the registered well-known services' usual ports, below the ephemeral range. */
export function portBand(range = ephemeralRange()): { low: number; high: number } | null {
  const low = 20000;
  const high = range.low - 1;
  if (high - low < 1000) {
    // An ephemeral range that starts low leaves no band worth drawing from: above it, then.
    return range.high <= 64535 ? { low: range.high + 1, high: 65535 } : null;
  }
  return { low, high };
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function kernelPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const band = portBand();
  if (band) {
    for (let attempt = 0; attempt < 64; attempt++) {
      const port = band.low + Math.floor(Math.random() * (band.high - band.low + 1));
      if (await canBind(port, host)) return port;
    }
  }
  // No band, or a band crowded with listeners: the kernel's choice, with the race described above.
  return kernelPort(host);
}
