import { describe, expect, it } from 'vitest';
import { skipReason } from './skip-reporter.js';

describe('skipReason', () => {
  it('prefers the note given to ctx.skip', () => {
    expect(skipReason('no GPU', 'suite > test (skipped: other)')).toEqual({ name: 'suite > test', reason: 'no GPU' });
  });

  it('takes "(skipped: why)" out of the name, nested parentheses included', () => {
    expect(skipReason(undefined, 'TIFF (skipped: needs tifffile in /usr/bin/python3 (or VOXELFLOW_PYTHON)) > reads')).toEqual({
      name: 'TIFF > reads',
      reason: 'needs tifffile in /usr/bin/python3 (or VOXELFLOW_PYTHON)',
    });
  });

  it('falls back to the last parenthesised words, then says none was given', () => {
    expect(skipReason(undefined, 'cluster over TLS (needs openssl) > runs').reason).toBe('needs openssl');
    expect(skipReason(undefined, 'suite > test').reason).toBe('no reason given');
  });
});
