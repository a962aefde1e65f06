/** voxelflow workers on batch schedulers: job options, job scripts, and the Grid Engine launcher. */
export { BatchError, type BatchJob, type BatchLauncher } from './batch-launcher.js';
export { drainSecondsFor, formatWalltime, jobNameFor, jobOptions, parseWalltime, type JobOptions, type JobOptionsInput } from './job-options.js';
export { defaultBin, jobScript, logDirOf, shellQuote, type JobTarget } from './job-script.js';
export { scale, type ScaleDecision, type ScaleInput } from './adaptive.js';
export { countTasks, parseQstatXml, SgeLauncher } from './sge-launcher.js';
export { SgeBackend, type BatchJobCounts, type SgeOptions } from './sge-backend.js';
