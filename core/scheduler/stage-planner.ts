/**
 * Pure planning over lineage: where stages are cut, which blocks a task reads. No state, no I/O
 * beyond asking the block manager for refs.
 */
import type { ShuffleDependency } from '../dependency.js';
import type { RDD } from '../rdd.js';

/** Shuffle dependencies reachable from `rdd` through narrow dependencies only: the stage's parents. */
export function parentShuffles(rdd: RDD<unknown>): ShuffleDependency[] {
  const found = new Map<number, ShuffleDependency>();
  const seen = new Set<number>();
  const visit = (r: RDD<unknown>): void => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    for (const dep of r.dependencies) {
      if (dep.kind === 'shuffle') found.set(dep.shuffleId, dep);
      else visit(dep.rdd);
    }
  };
  visit(rdd);
  return [...found.values()];
}

/** Every RDD in the lineage (across shuffles), parents before children. */
export function lineage(rdd: RDD<unknown>): RDD<unknown>[] {
  const out: RDD<unknown>[] = [];
  const seen = new Set<number>();
  const visit = (r: RDD<unknown>): void => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    for (const dep of r.dependencies) visit(dep.rdd);
    out.push(r);
  };
  visit(rdd);
  return out;
}

/**
 * Visits the (rdd, partition) pairs that computing `partition` of `rdd` touches within its stage,
 * stopping at shuffle reads (the reduce side reads blocks) and checkpoints.
 */
export function stageFootprint(rdd: RDD<unknown>, partition: number, visit: (r: RDD<unknown>, split: number) => void): void {
  const seen = new Set<string>();
  const walk = (r: RDD<unknown>, p: number): void => {
    const key = `${r.id}:${p}`;
    if (seen.has(key)) return;
    seen.add(key);
    visit(r, p);
    for (const dep of r.dependencies) {
      if (dep.kind === 'narrow') for (const q of dep.getParents(p)) walk(dep.rdd, q);
    }
  };
  walk(rdd, partition);
}
