/**
 * Names that say why a suite or test is skipped, for test/infra/skip-reporter.ts, which lists every
 * skipped test with its reason after the run.
 *
 * @example
 *   const missing = hasQsub ? null : 'qsub not found (bash scripts/start-sge.sh starts Grid Engine)';
 *   describe.skipIf(missing !== null)(skipName('Grid Engine launcher', missing), () => { ... });
 */

/** `name`, or `name (skipped: why)` when `why` is not null. */
export function skipName(name: string, why: string | null): string {
  return why === null ? name : `${name} (skipped: ${why})`;
}
