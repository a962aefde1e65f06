/** `saveAsTextFile`: one part file per partition, one element per line, and a _SUCCESS marker. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RDD } from '../rdd.js';
import type { TaskContext } from '../task-context.js';

export interface SaveTextOp {
  readonly op: 'saveText';
  readonly dir: string;
}

/** Writes the partition's part file (under a temporary name, renamed when complete). */
export function saveTextPartition(op: SaveTextOp, rdd: RDD<unknown>, split: number, tc: TaskContext): number {
  const dir = op.dir;
  const lines: string[] = [];
  rdd.iterate(split, tc, (x) => void lines.push(typeof x === 'string' ? x : JSON.stringify(x)));
  mkdirSync(dir, { recursive: true });
  const name = `part-${String(split).padStart(5, '0')}`;
  const tmp = join(dir, `.${name}.attempt-${tc.taskAttemptId}`);
  writeFileSync(tmp, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  renameSync(tmp, join(dir, name));
  return lines.length;
}

export async function saveAsTextFile(rdd: RDD<unknown>, path: string): Promise<void> {
  if (existsSync(path)) throw new Error(`saveAsTextFile: ${path} already exists; choose a new directory or remove it first`);
  // Made up front (as Spark's output committer does) so an RDD without partitions still yields a directory.
  mkdirSync(path, { recursive: true });
  await rdd.context.runJob(rdd, { op: 'saveText', dir: path });
  writeFileSync(join(path, '_SUCCESS'), '');
}
