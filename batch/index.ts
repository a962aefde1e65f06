/**
 * voxelflow batch projects: many datasets analyzed identically, resumable, with failures retried,
 * listed and collated (issue 17). A project is a folder: batch.json (the pipeline), manifest.csv (the
 * items), input/ and output/ (items/<item>/ with item.json written last, ledger.jsonl, status.csv,
 * failed.jsonl, collated/stats.csv and .arrow). This module owns the folder's rules; what runs an item
 * is supplied by the caller (the CLI runs analyze's pipeline on one shared context).
 *
 * @example
 *   import { writeFileSync } from 'node:fs';
 *   import { join } from 'node:path';
 *   import { collate, loadProject, runBatch, type ItemRunner } from './batch/index.js';
 *   const project = loadProject('plates', '0.1.0', ['label', 'voxels']); // checks batch.json and manifest.csv
 *   const runItem: ItemRunner = async (item, staging) => {
 *     writeFileSync(join(staging, 'stats.csv'), 'label,voxels\n1,27\n'); // the CLI runs analyze here
 *     return { outcome: 'done' };
 *   };
 *   const report = await runBatch(project, 2, async () => ({ runItem, close: async () => {} }));
 *   if (report.statuses.every((s) => s.state === 'done')) collate(project, report.statuses, ['label', 'voxels'], false);
 */
export { BatchProjectError, isBatchProjectError } from './batch-error.js';
export { collate, collatedColumns, collatedDir, type Collation } from './collate.js';
export { initProject, type InitOptions, type InitResult } from './init.js';
export { doneRecord, itemDir, itemKey, removeLeftovers, workerName, ITEM_RECORD, type ItemRecord } from './item-record.js';
export { appendLedger, histories, ledgerFile, readLedger, type ItemHistory, type LedgerEvent, type Outcome } from './ledger.js';
export { acquireLock, liveLock, lockFile, type LockInfo } from './lock.js';
export { csvField, parseManifest, type Manifest, type ManifestItem } from './manifest.js';
export { DEFAULT_CONFIG, loadProject, OUTPUT_FILES, outputDir, parseConfig, pipelineHash, type BatchConfig, type OutputName, type PipelineValue, type Project } from './project.js';
export { attemptItem, oneLine, runBatch, type ItemResult, type ItemRunner, type OpenRunner, type RunEvents, type RunReport } from './run-batch.js';
export { itemStatuses, summarize, writeStatusFiles, type BatchSummary, type ItemState, type ItemStatus } from './status.js';
