/**
 * One batch run at a time per project: output/batch.lock, created exclusively, records the pid and
 * host of the run. A lock whose process is gone (same host, no such pid) is stale and taken over, so a
 * crashed or SIGKILLed run never leaves a project stuck; a live one refuses the second run.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BatchProjectError } from './batch-error.js';
import { outputDir, type Project } from './project.js';

export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  /** Items the run works on at once (for the ETA of `batch status`). */
  readonly parallel: number;
}

export function lockFile(project: Project): string {
  return join(outputDir(project.dir), 'batch.lock');
}

/** The lock's holder if a live run holds it (on this host: its pid exists; elsewhere: assumed live). */
export function liveLock(project: Project): LockInfo | null {
  const file = lockFile(project);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return isAlive(info) ? info : null;
  } catch {
    // Created and not yet written (the run that took it is between open and write): live while young.
    return isYoung(file) ? { pid: 0, host: 'unknown', started: 'just now', parallel: 1 } : null;
  }
}

function isYoung(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 10_000;
  } catch {
    return false;
  }
}

function isAlive(info: LockInfo): boolean {
  return info.host !== hostname() || isProcessAlive(info.pid);
}

/** Whether a process of this host exists (signal 0; EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the project's lock or throws a BatchProjectError naming the run that holds it. Returns the release function. */
export function acquireLock(project: Project, parallel: number): () => void {
  const file = lockFile(project);
  mkdirSync(outputDir(project.dir), { recursive: true });
  const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), parallel };
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${JSON.stringify(info)}\n`);
      closeSync(fd);
      return () => {
        if (readLockOwner(file) === process.pid) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = liveLock(project);
      if (holder !== null) {
        throw new BatchProjectError(file, `a batch run (pid ${holder.pid} on ${holder.host}, since ${holder.started}) is working on this project; wait for it to finish ('voxelflow batch status' shows its progress), or remove this file if that process is gone`);
      }
      rmSync(file, { force: true }); // stale: its run was killed
    }
  }
  throw new BatchProjectError(file, 'another run took the lock at the same moment; try again');
}

function readLockOwner(file: string): number | null {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as LockInfo).pid;
  } catch {
    return null;
  }
}
