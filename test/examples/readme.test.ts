/**
 * Every ```sh, ```js and ```ts block of README.md runs as written (issue 15.3, 15.9), in order, in one
 * fresh project whose node_modules/voxelflow is a link to this checkout (so the package's `exports`
 * map and types are what resolve, as after `npm install`), with that project's node_modules/.bin on
 * PATH and a HOME of its own. Files a block writes are there for the next ones.
 *
 * - js blocks run with node; ts blocks, and the js blocks too (the README says the same code is
 *   TypeScript), are type-checked together with this checkout's TypeScript (strict), then the ts
 *   blocks run with tsx, the loader the README names.
 * - sh blocks run with bash -e. A `cmd &` line is left running (a master, a detector) until the end of
 *   the whole README, when its process group is killed.
 * - An HTML comment on the line before a block changes this: `<!-- readme-test: skip: WHY -->` (the
 *   reason is printed), `<!-- readme-test: needs qsub -->` (skipped, saying so, without Grid Engine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

interface Snippet {
  readonly index: number;
  readonly lang: 'sh' | 'js' | 'ts';
  readonly line: number;
  readonly code: string;
  /** From `<!-- readme-test: ... -->` on the line before the fence. */
  readonly marker: string | null;
}

/** The sh/js/ts fenced blocks of a markdown text, with the marker comment before each. */
function snippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const lang = open[1] as string;
    const marker = /^<!-- readme-test: (.*) -->$/.exec(lines[i - 1] ?? '');
    if (lang === 'sh' || lang === 'js' || lang === 'ts') {
      out.push({ index: out.length, lang, line: i + 1, code: lines.slice(i + 1, end).join('\n'), marker: marker?.[1] ?? null });
    }
    i = end;
  }
  return out;
}

const all = snippets(readFileSync(join(root, 'README.md'), 'utf8'));
const hasQsub = spawnSync('sh', ['-c', 'command -v qsub'], { encoding: 'utf8' }).status === 0;

/** Why a snippet does not run here, or null. */
function skipReason(s: Snippet): string | null {
  if (s.marker === null) return null;
  const skip = /^skip: (.+)$/.exec(s.marker);
  if (skip !== null) return skip[1] as string;
  if (s.marker === 'needs qsub') return hasQsub ? null : 'needs Grid Engine (qsub not on PATH; scripts/start-sge.sh starts one)';
  throw new Error(`README.md:${s.line}: unknown readme-test marker '${s.marker}'`);
}

let dir = '';
const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: join(dir, 'home'), PATH: `${join(dir, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}` });
const groups: number[] = [];

/** Runs a command in its own process group; resolves with its exit code and output. */
function runCommand(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: dir, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) groups.push(child.pid);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      out += `\n[killed after ${timeoutMs / 1000} s]`;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    // 'exit', not 'close': a `cmd &` it started keeps the pipes open.
    child.on('exit', (code) => {
      clearTimeout(timer);
      setTimeout(() => resolve({ code, out }), 50);
    });
  });
}

const fileOf = (s: Snippet): string => `snippet-${String(s.index).padStart(2, '0')}-line-${s.line}.${s.lang === 'sh' ? 'sh' : s.lang === 'js' ? 'mjs' : 'ts'}`;

describe('README.md snippets', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vf-readme-'));
    mkdirSync(join(dir, 'home'));
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(root, join(dir, 'node_modules', 'voxelflow'));
    symlinkSync(join(root, 'bin', 'voxelflow.js'), join(dir, 'node_modules', '.bin', 'voxelflow'));
    symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-walkthrough', private: true, type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: true },
    }));
    for (const s of all) writeFileSync(join(dir, fileOf(s)), `${s.code}\n`);
  });

  afterAll(() => {
    for (const pid of groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('has sh, js and ts blocks, and no unknown markers', () => {
    expect(new Set(all.map((s) => s.lang))).toEqual(new Set(['sh', 'js', 'ts']));
    for (const s of all) skipReason(s);
  });

  it('type-checks every ts block, and the js example as TypeScript, under the package types', () => {
    const files: string[] = [];
    for (const s of all) {
      if (s.lang === 'sh') continue;
      // The js example is also claimed to be TypeScript: check it as a .ts copy.
      const name = s.lang === 'js' ? fileOf(s).replace(/\.mjs$/, '.as.ts') : fileOf(s);
      if (s.lang === 'js') writeFileSync(join(dir, name), `${s.code}\n`);
      files.push(name);
    }
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    // Each file is a module of its own (top-level await, imports), so they type-check together.
    const errors = `${r.stdout}${r.stderr}`.replace(/snippet-\d+-line-(\d+)\.[\w.]+/g, 'README.md block at line $1');
    expect(errors).toBe('');
    expect(r.status).toBe(0);
    expect(files.length).toBeGreaterThan(2);
  }, 150_000);

  for (const s of all) {
    const why = skipReason(s);
    const title = `${s.lang} block at README.md:${s.line}${why !== null ? ` (skipped: ${why})` : ''}`;
    it.skipIf(why !== null)(title, async () => {
      const file = join(dir, fileOf(s));
      const [cmd, args] =
        s.lang === 'sh' ? ['bash', ['-e', file]] : s.lang === 'js' ? [process.execPath, [file]] : [process.execPath, [TSX, file]];
      const r = await runCommand(cmd, args as string[], 240_000);
      expect(r.code, `README.md:${s.line} (${s.lang}) exited ${r.code}:\n${r.out}`).toBe(0);
    }, 300_000);
  }
});
