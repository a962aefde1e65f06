/** The tomography flags `reconstruct` and `stream --reconstruct` share: the rotation axis and the filter. */
import { FILTER_NAMES, type FilterName } from '../tomo/index.js';
import { badValue, enumFlag, numberFlag } from './flags.js';

/** `--center C|auto`: a column number, or 'auto' (found from the scan). */
export function centerFlag(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  try {
    return numberFlag('center', text);
  } catch {
    throw badValue('center', "a column number or 'auto'", text);
  }
}

/** `--filter NAME`: one of the reconstruction filters. */
export function filterFlag(text: string): FilterName {
  return enumFlag('filter', text, FILTER_NAMES);
}
