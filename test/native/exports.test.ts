import { describe, expect, it } from 'vitest';

import * as imaging from '../../imaging/kernels/dispatch.js';
import * as native from '../../native/index.js';
import * as tomo from '../../tomo/kernels/dispatch.js';

describe('native public entry', () => {
  it('exports exactly the loader API (the dispatchers live with their kernels)', () => {
    expect(Object.keys(native).sort()).toEqual(['nativeAddon', 'nativeStatus']);
  });

  it('each dispatcher has the same kernels on both backends, and says the backend of each', () => {
    for (const d of [imaging, tomo]) {
      expect(Object.keys(d.kernels).sort()).toEqual(Object.keys(d.typescriptKernels).sort());
      expect(Object.keys(d.kernels).sort()).toEqual(Object.keys(d.backends()).sort());
    }
  });
});
