/** The `--ui-port P` flag of analyze, stream and master: the dashboard's port on 127.0.0.1 (0: a free one). */
import '../ui/index.js'; // registers the ui option of Context.create
import { integerFlag } from './flags.js';

/** The port, or null without the flag; a UsageError names the flag and the range. */
export function uiPortFlag(text: string | undefined): number | null {
  return text === undefined ? null : integerFlag('ui-port', text, { min: 0, max: 65535, want: 'an integer from 0 to 65535 (0 picks a free port)' });
}
