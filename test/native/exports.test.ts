import { describe, expect, it } from 'vitest';

import * as native from '../../native/index.js';

describe('native public entry', () => {
  it('exports exactly the loader API', () => {
    expect(Object.keys(native).sort()).toEqual(['backends', 'kernels', 'nativeStatus', 'typescriptKernels']);
  });

  it('kernels and typescriptKernels have the same kernels', () => {
    expect(Object.keys(native.kernels).sort()).toEqual(Object.keys(native.typescriptKernels).sort());
    expect(Object.keys(native.kernels).sort()).toEqual(Object.keys(native.backends()).sort());
  });
});
