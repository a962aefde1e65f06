/**
 * Lineage as data. A plan lists the nodes needed to compute one stage (cut at shuffle boundaries and
 * checkpoints) in dependency order; a worker rebuilds the RDDs from it with the same ids.
 */
import { nodeFactories } from './nodes/index.js';
import { registeredNode } from './registry.js';
import { RDD, type RddContext } from './rdd.js';
import type { RddNode } from './rdd-node.js';
import type { StorageLevel } from './task-context.js';

/** One lineage node as data. */
export interface PlanNode {
  /** The RDD's id (the worker's rebuilt RDD keeps it). */
  readonly id: number;
  /** Registered operator name. */
  readonly op: string;
  /** The node's parameters (serialized with the plan). */
  readonly params: unknown;
  /** Ids of the parent nodes, in dependency order. */
  readonly parents: readonly number[];
  /** The RDD's storage level (cached partitions are looked up before computing). */
  readonly storage: StorageLevel;
}

/** The nodes a stage needs, parents before children; `root` is the stage's RDD. */
export interface Plan {
  /** Every node the stage computes, parents first. */
  readonly nodes: readonly PlanNode[];
  /** Id of the stage's RDD. */
  readonly root: number;
}

/** Parents that a stage computes itself: none past a shuffle read (the map stage wrote those). */
export function planParents(rdd: RDD<unknown>): readonly RDD<unknown>[] {
  return rdd.node.op === 'shuffled' ? [] : rdd.node.parents;
}

/** Writes the lineage of `root` as a plan. */
export function toPlan(root: RDD<unknown>): Plan {
  const nodes: PlanNode[] = [];
  const seen = new Set<number>();
  const visit = (rdd: RDD<unknown>): void => {
    if (seen.has(rdd.id)) return;
    seen.add(rdd.id);
    const parents = planParents(rdd);
    for (const p of parents) visit(p);
    nodes.push({ id: rdd.id, op: rdd.node.op, params: rdd.node.params, parents: parents.map((p) => p.id), storage: rdd.storageLevel });
  };
  visit(root);
  return { nodes, root: root.id };
}

/** Modules workers must import before reviving `plan` (registered node kinds defined outside core). */
export function planModules(plan: Plan): string[] {
  const modules = new Set<string>();
  for (const n of plan.nodes) {
    const ext = nodeFactories[n.op] === undefined ? registeredNode(n.op) : undefined;
    if (ext !== undefined) modules.add(ext.module);
  }
  return [...modules];
}

/** Rebuilds the RDDs of a plan; returns the root. */
export function revivePlan(plan: Plan, ctx: RddContext): RDD<unknown> {
  const byId = new Map<number, RDD<unknown>>();
  for (const n of plan.nodes) {
    const factory = nodeFactories[n.op] ?? registeredNode(n.op)?.factory;
    if (factory === undefined) throw new Error(`plan names unknown operator '${n.op}'; driver and worker run different voxelflow versions?`);
    const parents = n.parents.map((id) => {
      const p = byId.get(id);
      if (p === undefined) throw new Error(`plan node ${n.id} refers to missing parent ${id}`);
      return p;
    });
    const node = factory(n.params as never, parents) as RddNode<unknown>;
    const rdd = new RDD<unknown>(ctx, node, n.id);
    rdd.storageLevel = n.storage;
    byId.set(n.id, rdd);
  }
  const root = byId.get(plan.root);
  if (root === undefined) throw new Error(`plan root ${plan.root} is not among its nodes`);
  return root;
}

/** Stand-in context on workers: RDDs there compute, they never start jobs. */
export const workerRddContext: RddContext = {
  serializesFunctions: true,
  defaultParallelism: 1,
  checkpointDir: null,
  newRddId: () => -1,
  newShuffleId: () => -1,
  runJob: () => Promise.reject(nestedJobError()),
  unpersist: () => undefined,
};

function nestedJobError(): Error {
  return new Error(
    'RDD actions and transformations can only be called on the driver, not inside a function running in a task ' +
      '(for example rdd1.map((x) => rdd2.count()) is invalid); collect or broadcast the other data first',
  );
}
