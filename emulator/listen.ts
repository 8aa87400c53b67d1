import type { AddressInfo } from 'node:net';
import { build, type Emulator, type EmulatorOptions } from './app.ts';

export interface ListeningEmulator extends Emulator {
  url: string;
}

export interface ListenOptions extends EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only unless told otherwise. */
  host?: string;
}

/** Builds the emulator and binds it; port 0 picks a free port. Loopback only unless told otherwise. */
export async function listen(options: ListenOptions = {}): Promise<ListeningEmulator> {
  const emulator = build(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    emulator.server.once('error', reject);
    emulator.server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = emulator.server.address() as AddressInfo;
  return Object.assign(emulator, { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` });
}

