/**
 * Resolves `textFile` paths (a file, a directory, a glob with * ? [..] in any segment, or a comma
 * list of those) and cuts the files into byte-range splits the way Hadoop's FileInputFormat does.
 */
import { readdirSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { ConfigError } from './errors.js';
import { globRegExp, hasGlob } from './glob.js';
import type { FileSplit } from './nodes/text-file.js';

const MAX_SPLIT = 32 * 1024 * 1024;

/** Lists the files `pattern` names, sorted. Throws a readable error when none match. */
export function listInputFiles(pattern: string): string[] {
  const files: string[] = [];
  for (const part of pattern.split(',').map((s) => s.trim()).filter(Boolean)) {
    const matched = expand(part);
    if (matched.length === 0) {
      throw new ConfigError('path', `textFile: no file matches '${part}' (check the path; globs use * ? and [abc])`);
    }
    files.push(...matched);
  }
  return [...new Set(files)].sort();
}

/**
 * Splits files into at least `minPartitions` ranges (fewer only when there are fewer bytes). As in
 * Hadoop, the goal size rounds down: rounding up can leave fewer splits than asked for once the
 * last split absorbs its 10% slop (12 bytes in 5 partitions: 3-byte splits give 4).
 */
export function planSplits(files: readonly string[], minPartitions: number): FileSplit[] {
  const sizes = files.map((f) => statSync(f).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const goal = Math.max(1, Math.floor(total / Math.max(1, minPartitions)));
  const splitSize = Math.min(goal, MAX_SPLIT);
  const splits: FileSplit[] = [];
  files.forEach((path, i) => {
    const size = sizes[i] as number;
    if (size === 0) return;
    let start = 0;
    while (size - start > splitSize * 1.1) {
      splits.push({ path, start, end: start + splitSize });
      start += splitSize;
    }
    splits.push({ path, start, end: size });
  });
  return splits;
}

function expand(pattern: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : resolve(pattern);
  if (!hasGlob(abs)) {
    let st: Stats;
    try {
      st = statSync(abs);
    } catch {
      return [];
    }
    return st.isDirectory() ? visibleFiles(abs) : [abs];
  }
  const segments = abs.split(sep).filter((s, i) => s !== '' || i === 0);
  let paths = [segments[0] === '' ? sep : (segments[0] as string)];
  for (const seg of segments.slice(1)) {
    const next: string[] = [];
    for (const base of paths) {
      if (!hasGlob(seg)) {
        next.push(join(base, seg));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      const re = globRegExp(seg);
      for (const n of names.sort()) if (re.test(n) && !isHidden(n)) next.push(join(base, n));
    }
    paths = next;
  }
  // Like Hadoop's FileInputFormat, a matched directory stands for the visible files inside it, so a
  // glob over saveAsTextFile outputs (`out-*`) reads their part files.
  return paths.flatMap((p) => {
    try {
      const st = statSync(p);
      return st.isDirectory() ? visibleFiles(p) : st.isFile() ? [p] : [];
    } catch {
      return [];
    }
  });
}

/** Hadoop's hidden-file rule: names starting with `_` (markers like _SUCCESS) or `.` (checksums) are skipped. */
function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

function visibleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !isHidden(n))
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
}
