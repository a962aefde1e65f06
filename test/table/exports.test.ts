import { describe, expect, it } from 'vitest';
import * as table from '../../table/index.js';

describe('table public API', () => {
  // Every change to the public surface shows up here in review.
  it('exports exactly these names', () => {
    expect(Object.keys(table).sort()).toEqual(['Expr', 'GroupedTable', 'Table', 'TableError', 'col', 'isTableError', 'lit']);
  });

  it('extends Context with the table sources', async () => {
    const { Context } = await import('../../index.js');
    for (const name of ['readCsv', 'readArrow', 'createTable', 'tableFromShapeStats']) expect(typeof (Context.prototype as unknown as Record<string, unknown>)[name]).toBe('function');
  });
});
