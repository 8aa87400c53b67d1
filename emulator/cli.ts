/**
 * spt-emulator: the embedded SPT emulator as a standalone stateful mock.
 *   spt-emulator [--port 12111] [--host 127.0.0.1] [--faults a,b] [--usage multi|single] [--quiet]
 */
import { parseArgs } from 'node:util';
import { listen } from './listen.ts';
import { parseFaultList } from './faults.ts';

function fail(message: string): never {
  process.stderr.write(`spt-emulator: ${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.SPT_EMULATOR_PORT ?? '12111' },
      host: { type: 'string', default: '127.0.0.1' },
      faults: { type: 'string', default: process.env.SPT_EMULATOR_FAULTS ?? '' },
      usage: { type: 'string', default: 'multi' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}. Try --help.`);
}

if (values.help) {
  process.stdout.write('Usage: spt-emulator [--port 12111] [--host 127.0.0.1] [--faults a,b] [--usage multi|single] [--quiet]\n');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, got "${values.port}".`);
if (values.usage !== 'multi' && values.usage !== 'single') fail(`--usage must be "multi" or "single", got "${values.usage}".`);
let faults;
try {
  faults = parseFaultList(values.faults);
} catch (error) {
  fail((error as Error).message);
}

const emulator = await listen({
  port,
  host: values.host,
  faults,
  policies: { usage: values.usage },
  onRequest: values.quiet ? undefined : (l) => process.stdout.write(`${l.method} ${l.path} ${l.status} ${l.ms.toFixed(1)}ms ${l.requestId}\n`),
}).catch((error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? `port ${port} is already in use; pick another with --port.` : error.message));

process.stdout.write(
  [
    `SPT emulator listening on ${emulator.url}`,
    `Keys: any sk_test_... (or rk_test_...) key; each key is its own account. Live keys are refused.`,
    `Try: curl ${emulator.url}/v1/test_helpers/shared_payment/granted_tokens -u sk_test_demo: -d payment_method=pm_card_visa -d "usage_limits[currency]"=usd -d "usage_limits[max_amount]"=10000`,
    faults.length ? `Fault modes ON: ${faults.join(', ')}` : '',
  ].filter(Boolean).join('\n') + '\n',
);

const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
