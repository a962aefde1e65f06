/**
 * `voxelflow master`: starts the cluster master and prints its URL; runs until SIGINT/SIGTERM.
 */
import { hostname, networkInterfaces } from 'node:os';
import { Master } from '../cluster/index.js';
import { resolveSecret } from '../cluster/auth.js';
import { startMasterDashboard } from './master-dashboard.js';
import { uiPortFlag } from './ui-flag.js';
import { integerFlag, numberFlag, parseCommandLine, type NumberRule } from './flags.js';

const HELP = `usage: voxelflow master [options]

Starts a cluster master: workers register with it, drivers connect with --master voxelflow://HOST:PORT.

  --host H              interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port P              port (default 7077; 0 picks a free one)
  --secret-file F       file holding the cluster secret (default: the VOXELFLOW_SECRET variable)
  --worker-timeout S    declare a worker lost after S seconds without a heartbeat (default 10)
  --ui-port P           serve a dashboard of the workers on 127.0.0.1:P (0 picks a free port)
  --tls-cert F --tls-key F [--tls-ca F]   serve TLS (PEM files)`;

export async function runMaster(argv: string[]): Promise<number> {
  const v = parseCommandLine(
    'master',
    argv,
    {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '7077' },
      'secret-file': { type: 'string' },
      'worker-timeout': { type: 'string', default: '10' },
      'ui-port': { type: 'string' },
      ...TLS_OPTIONS,
    },
    { positionals: false },
  ).values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const port = integerFlag('port', v.port, between(0, 65535));
  const timeout = numberFlag('worker-timeout', v['worker-timeout'], { min: 0.1 });
  const secret = resolveSecret({ secretFile: v['secret-file'] }, 'pass --secret-file FILE or set VOXELFLOW_SECRET');
  const uiPort = uiPortFlag(v['ui-port']);
  const ui = uiPort === null ? null : await startMasterDashboard(uiPort, secret);
  let master: Master;
  try {
    master = await Master.start({
      host: v.host,
      port,
      secret,
      workerTimeoutMs: timeout * 1000,
      tls: { cert: v['tls-cert'], key: v['tls-key'], ca: v['tls-ca'] },
      ...(ui !== null ? { onClusterEvent: ui.onClusterEvent } : {}),
    });
  } catch (err) {
    await ui?.dashboard.close();
    throw err;
  }
  ui?.attach(master);
  if (ui !== null) console.log(`voxelflow master: dashboard at ${ui.dashboard.url}`);
  console.log(`voxelflow master: listening on ${master.url} (${reachableAt(v.host, master.url)})`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await master.stop();
  await ui?.dashboard.close();
  return 0;
}

/**
 * What workers and drivers pass as --master. A wildcard host (0.0.0.0, ::) is no address to dial: name
 * this host's network addresses instead, and the hostname, which may resolve to loopback here (Debian's
 * /etc/hosts) but usually to the right address elsewhere.
 */
function reachableAt(host: string, url: string): string {
  const port = url.slice(url.lastIndexOf(':') + 1);
  if (host !== '0.0.0.0' && host !== '::') return `workers: --master ${url.slice('voxelflow://'.length)}`;
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && (a.family === 'IPv4' || host === '::'))
    .map((a) => (a.family === 'IPv6' ? `[${a.address}]:${port}` : `${a.address}:${port}`));
  return `workers: --master ${[...addresses, `${hostname()}:${port}`].join(' or ')}`;
}

/** The TLS flags of master and worker (PEM files). */
export const TLS_OPTIONS = { 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-ca': { type: 'string' } } as const;

/** The rule of an integer flag within [min, max], in the words master's and worker's messages use. */
export function between(min: number, max: number): NumberRule {
  return { min, max, want: `an integer from ${min} to ${max}` };
}
