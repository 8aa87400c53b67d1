// The ports the suite hands to processes it starts (helpers/ports.ts): drawn below the kernel's ephemeral
// range, so no outgoing connection on the machine can take one between the choice and the child's bind (the
// race that once killed a launched agent in CI with EADDRINUSE); and when a child does die of it, the launch
// error keeps the line that says so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { ephemeralRange, freePort, portBand } from '../helpers/ports.ts';
import { launchSeller, lastWords } from '../helpers/certify/seller-process.ts';
import { CertifyConfigError } from '../helpers/certify/config.ts';

test.describe('free ports', () => {
  test('the ephemeral range is read from the kernel file, and the IANA range stands in when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spt-ports-'));
    writeFileSync(join(dir, 'range'), '32768\t60999\n');
    expect(ephemeralRange(join(dir, 'range'))).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralRange(join(dir, 'missing'))).toEqual({ low: 49152, high: 65535 });
    writeFileSync(join(dir, 'bad'), 'nonsense\n');
    expect(ephemeralRange(join(dir, 'bad'))).toEqual({ low: 49152, high: 65535 });
  });

  test('the band lies below the ephemeral range, or above it when the range starts too low', () => {
    expect(portBand({ low: 32768, high: 60999 })).toEqual({ low: 20000, high: 32767 });
    expect(portBand({ low: 49152, high: 65535 })).toEqual({ low: 20000, high: 49151 });
    expect(portBand({ low: 1024, high: 40000 })).toEqual({ low: 40001, high: 65535 });
    expect(portBand({ low: 1024, high: 65535 })).toBeNull();
  });

  test('freePort gives distinct bindable ports outside the ephemeral range', async () => {
    const range = ephemeralRange();
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) expect(port < range.low || port > range.high, `port ${port} is inside ${range.low}-${range.high}`).toBe(true);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a process that dies of EADDRINUSE is reported with the error line and what to do', async () => {
    const holder = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const command = `node -e "require('node:net').createServer().listen(${port}, '127.0.0.1')"`;
      const error = await launchSeller({ command, cwd: process.cwd(), readyUrl: `http://127.0.0.1:${port + 1}/healthz`, readyTimeoutMs: 10_000 }, {}, 'agent').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CertifyConfigError);
      expect((error as Error).message).toContain(`Error: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
      expect((error as Error).message).toContain('Its port was already taken by another process (EADDRINUSE)');
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  test('lastWords keeps the last five lines, and the error line when it scrolled out', () => {
    expect(lastWords('a\nb\nc')).toBe('a | b | c');
    const node = ['node:events:497', '      throw er;', 'Error: listen EADDRINUSE: address already in use 127.0.0.1:45573', '    at Server.setupListenHandle', '{', "  code: 'EADDRINUSE',", "  address: '127.0.0.1',", '  port: 45573', '}', '', 'Node.js v20.20.2'].join('\n');
    expect(lastWords(node)).toBe("Error: listen EADDRINUSE: address already in use 127.0.0.1:45573 | ... |   address: '127.0.0.1', |   port: 45573 | } |  | Node.js v20.20.2");
  });
});
