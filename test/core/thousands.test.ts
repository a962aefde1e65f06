import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thousands } from '../../core/thousands.js';

describe('thousands', () => {
  it("writes integers as toLocaleString('en-US') does", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.maxSafeNat().map((v) => (v === 0 ? 0 : -v))), (n) => {
        expect(thousands(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
    expect(thousands(0)).toBe('0');
    expect(thousands(999)).toBe('999');
    expect(thousands(1000)).toBe('1,000');
    expect(thousands(-1234567)).toBe('-1,234,567');
  });

  it('leaves non-integers to toLocaleString', () => {
    expect(thousands(1234.5678)).toBe('1,234.568');
    expect(thousands(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});
