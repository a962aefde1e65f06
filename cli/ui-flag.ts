/** The `--ui-port P` flag of analyze, stream and master: the dashboard's port on 127.0.0.1 (0: a free one). */
import '../ui/index.js'; // registers the ui option of Context.create
import { UsageError } from './usage-error.js';

/** The port, or null without the flag; a UsageError names the flag and the range. */
export function uiPortFlag(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`--ui-port must be an integer from 0 to 65535 (0 picks a free port), got '${text}'`);
  return Number(text);
}
