/** Spark-style lineage printout: `(partitions) op[id] detail`, indented at shuffle boundaries. */
import type { RDD } from './rdd.js';

export function debugString(root: RDD<unknown>): string {
  const lines: string[] = [];
  const visit = (rdd: RDD<unknown>, prefix: string, shuffleChild: boolean): void => {
    const detail = rdd.node.describe?.() ?? '';
    const name = rdd.name ? ` "${rdd.name}"` : '';
    const storage = rdd.storageLevel !== 'NONE' ? ` [${rdd.storageLevel}]` : '';
    const ckpt = rdd.checkpointState === 'marked' ? ' [checkpoint pending]' : '';
    const head = shuffleChild ? '+-' : lines.length === 0 ? '' : '|  ';
    lines.push(`${prefix}${head}(${rdd.getNumPartitions()}) ${rdd.node.op}[${rdd.id}]${name}${detail ? ` ${detail}` : ''}${storage}${ckpt}`);
    for (const dep of rdd.dependencies) {
      const isShuffle = dep.kind === 'shuffle';
      visit(dep.rdd, isShuffle ? `${prefix}${shuffleChild || lines.length > 1 ? '   ' : ' '}` : prefix, isShuffle);
    }
  };
  visit(root as RDD<unknown>, '', false);
  return lines.join('\n');
}
