/**
 * `table.groupBy('sample').agg({ volume: 'mean', area: ['min', 'max'] })`: per-partition moments per
 * group, merged by key in a shuffle (reduceByKey), then one row per group. Lazy, like Spark's: the
 * result is a Table. Output columns are named `mean(volume)`, `count(area)`, ...; count counts the
 * non-missing values, std is the sample standard deviation (n − 1), as in Spark and pandas.
 */
import { namedFunction } from '../core/index.js';
import { encodeStrings, fieldIndex, makeBatch, numericIndex, type Batch, type Column, type Field } from './batch.js';
import { groupMoments, mergeMomentsFn, momentsOf, type GroupKey } from './moments.js';
import type { Table } from './table.js';
import { TableError } from './table-error.js';

/** Aggregates groupBy.agg knows. */
export type AggName = 'mean' | 'sum' | 'count' | 'min' | 'max' | 'std' | 'variance';
const AGGS: readonly AggName[] = ['mean', 'sum', 'count', 'min', 'max', 'std', 'variance'];

/** `{ column: 'mean' }` or `{ column: ['min', 'max'] }`. */
export type AggSpec = Readonly<Record<string, AggName | readonly AggName[]>>;

interface AggColumn {
  readonly slot: number;
  readonly agg: AggName;
  readonly name: string;
}

/** One row per group: the key, then the aggregates in spec order; sorted by key (missing last). */
export const groupsToBatch = namedFunction(
  'table.groupsToBatch',
  (it: IterableIterator<[GroupKey, Float64Array]>, env: { readonly key: Field; readonly aggs: readonly AggColumn[] }): Batch[] => {
    const groups = [...it].sort((a, b) => compareKeys(a[0], b[0]));
    const key: Column =
      env.key.type === 'string'
        ? encodeStrings(groups.map((g) => g[0] as string | null))
        : Float64Array.from(groups, (g) => (g[0] === null ? Number.NaN : (g[0] as number)));
    const cols: Column[] = [key];
    const fields: Field[] = [env.key];
    for (const a of env.aggs) {
      fields.push({ name: a.name, type: 'f64' });
      cols.push(Float64Array.from(groups, (g) => momentsOf(g[1], a.slot)[a.agg]));
    }
    return [makeBatch(fields, cols, groups.length)];
  },
  import.meta.url,
);

function compareKeys(a: GroupKey, b: GroupKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The result of `table.groupBy(column)`; `agg` says what to compute per group. */
export class GroupedTable {
  constructor(
    private readonly table: Table,
    /** The column whose values form the groups. */
    readonly by: string,
    /** Table's constructor, passed in by table.groupBy (importing it here would be an import cycle). */
    private readonly makeTable: (rdd: Table['rdd'], fields: Table['fields']) => Table,
  ) {
    fieldIndex(table.fields, by, 'groupBy');
  }

  /** Aggregates per group, as a one-partition Table sorted by the group key. */
  agg(spec: AggSpec, options: { numPartitions?: number } = {}): Table {
    const fields = this.table.fields;
    const by = fieldIndex(fields, this.by, 'groupBy');
    const columns: string[] = [];
    const aggs: AggColumn[] = [];
    for (const [name, what] of Object.entries(spec)) {
      const list = typeof what === 'string' ? [what] : what;
      if (!Array.isArray(list) || list.length === 0) throw new TableError(`agg column '${name}'`, 'no aggregate named', `use one of ${AGGS.join(', ')}`);
      if (!columns.includes(name)) columns.push(name);
      for (const agg of list as AggName[]) {
        if (!AGGS.includes(agg)) throw new TableError(`agg column '${name}'`, `unknown aggregate ${JSON.stringify(agg)}`, `use one of ${AGGS.join(', ')}`);
        aggs.push({ slot: columns.indexOf(name), agg, name: `${agg}(${name})` });
      }
    }
    if (aggs.length === 0) throw new TableError('agg', 'nothing to aggregate', "pass e.g. { volume: 'mean' }");
    const indices = columns.map((c) => numericIndex(fields, c, 'agg'));
    const key = fields[by] as Field;
    const rdd = this.table.rdd
      .mapPartitions(groupMoments, { by, indices })
      .reduceByKey(mergeMomentsFn, { numPartitions: options.numPartitions ?? 1 })
      .mapPartitions(groupsToBatch, { key, aggs });
    const outFields: Field[] = [key, ...aggs.map((a): Field => ({ name: a.name, type: 'f64' }))];
    return this.makeTable(rdd, outFields);
  }
}
