/**
 * `voxelflow sge script|submit|status|stop`: voxelflow workers as Grid Engine array jobs. `script` prints
 * exactly what `submit` hands to `qsub`; `status` and `stop` find a master's workers by their job name
 * (`voxelflow-<host>-<port>` unless `--name` says otherwise).
 */
import { ConfigError } from '../core/index.js';
import { jobNameFor, jobOptions, SgeLauncher, type JobOptions, type JobTarget } from '../cluster/sge/index.js';
import { numberFlag, parseCommandLine, UsageError } from './flags.js';

const HELP = `usage: voxelflow sge <script|submit|status|stop> [options]

  script  --master HOST:PORT [job options]          print the worker job script qsub would get
  submit  --master HOST:PORT -n N [job options]     submit N workers as one array job; prints its id
  status  [--master HOST:PORT | --name NAME] [--json]  list the workers' jobs (pending, running)
  stop    [--master HOST:PORT | --name NAME]        qdel them (workers drain on SIGUSR2, -notify)

job options:
  --cores C            cores per worker (-pe smp C when C > 1; default 1)
  --memory M           block-store memory per worker, e.g. 4g (default 4g)
  --walltime HH:MM:SS  -l h_rt; s_rt comes earlier (10%, 30 s to 5 min) so workers drain in time
  --queue Q            -q Q
  --pe NAME            parallel environment for C > 1 (default smp)
  --project P          -P P
  --resource SPEC      -l SPEC (repeatable), e.g. --resource gpu=1
  --log-dir D          job logs (default ./voxelflow-logs)
  --directive '...'    an extra #$ line (repeatable), e.g. --directive '-l tmpfree=10G'
  --name NAME          job name (default voxelflow-<host>-<port>)
  --secret-file F      the cluster secret; passed to workers by path, never in the script
  --death-timeout S    seconds a worker waits for an unreachable master before exiting (default 60)`;

interface Parsed {
  readonly sub: string;
  readonly values: Record<string, string | string[] | boolean | undefined>;
}

/** `--directive '-l x=1'`: a value that starts with '-' is taken as the value, not as a flag. */
function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--directive' && i + 1 < argv.length) out.push(`--directive=${argv[++i]!}`);
    else out.push(a);
  }
  return out;
}

function parse(argv: string[]): Parsed | 'help' {
  const parsed = parseCommandLine('sge', joinDashValues(argv), {
    master: { type: 'string' },
    n: { type: 'string', short: 'n' },
    cores: { type: 'string' },
    memory: { type: 'string' },
    walltime: { type: 'string' },
    queue: { type: 'string' },
    pe: { type: 'string' },
    project: { type: 'string' },
    resource: { type: 'string', multiple: true },
    'log-dir': { type: 'string' },
    directive: { type: 'string', multiple: true },
    name: { type: 'string' },
    'secret-file': { type: 'string' },
    'death-timeout': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (parsed.values.help === true) return 'help';
  const [sub, ...extra] = parsed.positionals;
  if (sub === undefined) throw new UsageError("which one: script, submit, status or stop? run 'voxelflow sge --help'");
  if (!['script', 'submit', 'status', 'stop'].includes(sub)) throw new UsageError(`unknown subcommand '${sub}'; use script, submit, status or stop`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'; run 'voxelflow sge --help'`);
  return { sub, values: parsed.values };
}

function number(v: string | string[] | boolean | undefined, flag: string): number | undefined {
  return typeof v === 'string' ? numberFlag(flag, v) : undefined;
}

const str = (v: string | string[] | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The master's `HOST:PORT`, required by script and submit. */
function master(values: Parsed['values']): string {
  const m = str(values['master']);
  if (m === undefined) throw new UsageError("--master HOST:PORT is required (the address the workers' hosts reach the master at)");
  const hostPort = m.replace(/^voxelflow:\/\//, '');
  if (!/^[^\s:]+:\d{1,5}$/.test(hostPort)) throw new UsageError(`--master must be HOST:PORT, got '${m}'`);
  return hostPort;
}

function options(values: Parsed['values']): JobOptions {
  const cores = number(values['cores'], 'cores');
  const deathTimeout = number(values['death-timeout'], 'death-timeout');
  try {
    return jobOptions({
      ...(cores !== undefined ? { cores } : {}),
      ...(str(values['memory']) !== undefined ? { memory: str(values['memory'])! } : {}),
      ...(str(values['walltime']) !== undefined ? { walltime: str(values['walltime'])! } : {}),
      ...(str(values['queue']) !== undefined ? { queue: str(values['queue'])! } : {}),
      ...(str(values['pe']) !== undefined ? { pe: str(values['pe'])! } : {}),
      ...(str(values['project']) !== undefined ? { project: str(values['project'])! } : {}),
      ...(str(values['log-dir']) !== undefined ? { logDir: str(values['log-dir'])! } : {}),
      ...(str(values['name']) !== undefined ? { name: str(values['name'])! } : {}),
      ...(deathTimeout !== undefined ? { deathTimeout } : {}),
      resources: (values['resource'] as string[] | undefined) ?? [],
      directives: (values['directive'] as string[] | undefined) ?? [],
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`--${flagOf(err.option)}${err.message.slice(err.option.length)}`, `--${flagOf(err.option)}`);
    throw err;
  }
}

const FLAGS: Record<string, string> = { logDir: 'log-dir', deathTimeout: 'death-timeout', directive: 'directive', resource: 'resource' };
const flagOf = (field: string): string => FLAGS[field] ?? field;

function target(values: Parsed['values']): JobTarget {
  const secretFile = str(values['secret-file']);
  return { master: master(values), ...(secretFile !== undefined ? { secretFile } : {}) };
}

/** The job name `status` and `stop` look for. */
function nameOf(values: Parsed['values']): string | undefined {
  const name = str(values['name']);
  if (name !== undefined) return name;
  return str(values['master']) !== undefined ? jobNameFor(master(values)) : undefined;
}

export async function runSge(argv: string[]): Promise<number> {
  const p = parse(argv);
  if (p === 'help') {
    console.log(HELP);
    return 0;
  }
  const sge = new SgeLauncher();
  switch (p.sub) {
      case 'script':
        process.stdout.write(sge.script(target(p.values), options(p.values)));
        return 0;
      case 'submit': {
        const n = number(p.values['n'], 'n');
        if (n === undefined || !Number.isInteger(n) || n < 1) throw new UsageError('-n N (the number of workers, >= 1) is required');
        console.log(await sge.submit(target(p.values), options(p.values), n));
        return 0;
      }
      case 'status': {
        const name = nameOf(p.values);
        const jobs = (await sge.jobs()).filter((j) => (name === undefined ? j.name.startsWith('voxelflow') : j.name === name));
        if (p.values['json'] === true) {
          console.log(JSON.stringify(jobs));
        } else if (jobs.length === 0) {
          console.log(`no voxelflow worker jobs${name !== undefined ? ` named ${name}` : ''}`);
        } else {
          for (const j of jobs) console.log(`${j.id}${j.task !== null ? `.${j.task}` : ''}  ${j.state.padEnd(8)} ${j.code.padEnd(4)} ${j.tasks > 1 ? `${j.tasks} tasks  ` : ''}${j.name}`);
        }
        return 0;
      }
      default: {
        const name = nameOf(p.values);
        const ids = [...new Set((await sge.jobs()).filter((j) => (name === undefined ? j.name.startsWith('voxelflow') : j.name === name)).map((j) => j.id))];
        await sge.cancel(ids);
        console.log(ids.length === 0 ? 'no voxelflow worker jobs to stop' : `qdel ${ids.join(' ')}`);
        return 0;
      }
  }
}
