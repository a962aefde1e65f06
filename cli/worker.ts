/**
 * `voxelflow worker --master HOST:PORT`: runs a cluster worker until it leaves (SIGTERM, SIGUSR1,
 * SIGUSR2, SIGINT or --lifetime: exit 0 after draining) or gives up on an unreachable master (exit 1).
 */
import { createSocket } from 'node:dgram';
import { availableParallelism } from 'node:os';
import { Worker } from '../cluster/index.js';
import { resolveSecret } from '../cluster/auth.js';
import { parseMasterAddress } from '../cluster/master-address.js';
import { integerFlag, numberFlag, parseCommandLine, sizeFlag, UsageError } from './flags.js';
import { between, TLS_OPTIONS } from './master.js';

const HELP = `usage: voxelflow worker --master HOST:PORT [options]

Runs tasks for drivers of a voxelflow cluster in its own worker threads, and serves its blocks.

  --master HOST:PORT    the master (voxelflow://HOST:PORT also accepted)
  --cores N             worker threads (default: all cores)
  --memory SIZE         block-store budget, e.g. 4g (default 4g); beyond it blocks spill to --work-dir
  --name NAME           worker name (default HOSTNAME-PID)
  --secret-file F       file holding the cluster secret (default: the VOXELFLOW_SECRET variable)
  --death-timeout S     exit when the master has been unreachable for S seconds (default 60)
  --work-dir D          where blocks spill (default: the OS temp dir)
  --host H              interface this worker serves blocks and tasks on (default 127.0.0.1 when the
                        master is on this host's loopback, else 0.0.0.0: drivers and other workers
                        must reach it where the master does)
  --port P              its port (default 0: any free port)
  --advertise-host H    the name or address others dial for this worker (default: --host, or when
                        that is 0.0.0.0 the address this host reaches the master from)
  --drain-timeout S     on leaving, let running tasks finish for S seconds, then hand them back (default 30)
  --lifetime S          leave by itself after S seconds (batch wall-clock limits)
  --lifetime-stagger S  ... up to S seconds earlier, at random (so an array of workers does not leave at once)
  --tls-cert F --tls-key F [--tls-ca F]   TLS (PEM files)

SIGTERM, SIGUSR1, SIGUSR2 and SIGINT make the worker leave cleanly: no new tasks, running tasks finish,
the master is told, exit 0.`;

export async function runWorker(argv: string[]): Promise<number> {
  const v = parseCommandLine(
    'worker',
    argv,
    {
      master: { type: 'string' },
      cores: { type: 'string' },
      memory: { type: 'string', default: '4g' },
      name: { type: 'string' },
      'secret-file': { type: 'string' },
      'death-timeout': { type: 'string', default: '60' },
      'work-dir': { type: 'string' },
      host: { type: 'string' },
      'advertise-host': { type: 'string' },
      port: { type: 'string', default: '0' },
      'drain-timeout': { type: 'string', default: '30' },
      lifetime: { type: 'string' },
      'lifetime-stagger': { type: 'string', default: '0' },
      ...TLS_OPTIONS,
    },
    { positionals: false },
  ).values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  if (v.master === undefined) throw new UsageError("--master HOST:PORT is required (the address `voxelflow master` printed); run 'voxelflow worker --help'", '--master');
  const master = parseMasterAddress(v.master, '--master');
  const cores = v.cores === undefined ? availableParallelism() : integerFlag('cores', v.cores, between(1, 4096));
  const memory = sizeFlag('memory', v.memory);
  const deathTimeout = numberFlag('death-timeout', v['death-timeout'], { min: 0.1 });
  const drainTimeout = numberFlag('drain-timeout', v['drain-timeout'], { min: 0 });
  const lifetime = v.lifetime === undefined ? undefined : numberFlag('lifetime', v.lifetime, { min: 0 });
  const stagger = numberFlag('lifetime-stagger', v['lifetime-stagger'], { min: 0 });
  const secret = resolveSecret({ secretFile: v['secret-file'] }, 'pass --secret-file FILE or set VOXELFLOW_SECRET');
  const host = v.host ?? (isLoopback(hostOf(master)) ? '127.0.0.1' : '0.0.0.0');
  const advertiseHost = v['advertise-host'] ?? (isWildcard(host) ? await addressTowards(master) : undefined);
  const worker = await Worker.start({
    master,
    secret,
    host,
    ...(advertiseHost !== undefined ? { advertiseHost } : {}),
    port: integerFlag('port', v.port, between(0, 65535)),
    cores,
    memory,
    ...(v.name !== undefined ? { name: v.name } : {}),
    deathTimeoutMs: deathTimeout * 1000,
    ...(v['work-dir'] !== undefined ? { workDir: v['work-dir'] } : {}),
    drainTimeoutMs: drainTimeout * 1000,
    ...(lifetime !== undefined ? { lifetimeMs: lifetime * 1000, lifetimeStaggerMs: stagger * 1000 } : {}),
    tls: { cert: v['tls-cert'], key: v['tls-key'], ca: v['tls-ca'] },
  });
  let interrupted = false;
  for (const signal of ['SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGINT'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C means now: running tasks are lost and retried elsewhere.
      if (signal === 'SIGINT' && interrupted) process.exit(130);
      if (signal === 'SIGINT') interrupted = true;
      void worker.leave(`received ${signal}`);
    });
  }
  const exit = await worker.finished;
  console.error(`voxelflow worker ${worker.name}: ${exit.reason}`);
  // Anything still holding the event loop (a half-closed socket) must not keep a finished worker alive.
  setTimeout(() => process.exit(exit.code), 500).unref();
  return exit.code;
}

/** The host part of `host:port` (IPv6 without its brackets). */
function hostOf(hostPort: string): string {
  return hostPort.slice(0, hostPort.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/**
 * The local address this host sends from to reach the master (a UDP connect: routing only, no packet
 * is sent). The master and its drivers are on that network, so they can dial it back. The hostname is
 * no good default: Debian maps it to 127.0.1.1 (or 127.0.0.1) in /etc/hosts.
 */
async function addressTowards(master: string): Promise<string | undefined> {
  const host = hostOf(master);
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(Number(master.slice(master.lastIndexOf(':') + 1)), host, () => resolve(socket.address().address));
    });
  } catch {
    return undefined; // no route (yet): cluster/worker.ts falls back to the hostname
  } finally {
    socket.close();
  }
}
