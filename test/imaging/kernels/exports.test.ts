import { describe, expect, it } from 'vitest';

import * as kernels from '../../../imaging/kernels/index.js';

describe('imaging/kernels public API', () => {
  // Every change to the kernels' surface (which the native twins must mirror) shows up here in review.
  it('exports exactly these names', () => {
    expect(Object.keys(kernels).sort()).toMatchInlineSnapshot(`
      [
        "BOX_FILTER_MODES",
        "CONNECTIVITY_REACH",
        "PARTIAL_FIELDS",
        "boxFilter",
        "boxFilterScratchLength",
        "createPartials",
        "deserializePartials",
        "facePairs",
        "haloBox",
        "labelBlock",
        "labelScratchLength",
        "labelStats",
        "mapLabels",
        "mergePartials",
        "normalizeConnectivity",
        "serializePartials",
        "shapeFromPartials",
        "symmetricEigenvalues3",
        "threshold",
      ]
    `);
  });
});
