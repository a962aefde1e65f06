import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { WORKER_GLOBALS, checkShippable, freeVariables, functionSource, reviveFunction } from '../../core/closure.js';
import { FreeVariableError, SerializationError } from '../../core/errors.js';

/** Throws and returns the error, for asserting on its fields. */
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('freeVariables', () => {
  it('names a captured variable', () => {
    expect(freeVariables('(x) => x * k')).toEqual(['k']);
  });

  it('lists several captures sorted and unique', () => {
    expect(freeVariables('(x) => b + a + b + x')).toEqual(['a', 'b']);
  });

  it('ignores globals, parameters and locals', () => {
    expect(freeVariables('(x) => { const y = Math.sqrt(x); let z = JSON.stringify([y]); return z.length + y; }')).toEqual([]);
  });

  it('ignores destructured, rest and default parameters', () => {
    expect(freeVariables('({ a, b: [c] }, [d, ...e], f = a + 1, ...g) => a + c + d + e.length + f + g.length')).toEqual([]);
  });

  it('reports a capture used in a default parameter', () => {
    expect(freeVariables('(x, y = limit) => x + y')).toEqual(['limit']);
  });

  it('ignores nested functions, classes, catch parameters, for-of bindings and labels', () => {
    const source = `function (xs) {
      function helper(v) { return v * 2; }
      const twice = (v) => helper(v);
      class Box { constructor(v) { this.v = v; } }
      let total = 0;
      outer: for (const [i, x] of xs.entries()) {
        for (let j = 0; j < i; j++) if (j > 3) continue outer;
        try { total += twice(new Box(x).v); } catch (err) { total += String(err).length; }
      }
      return total + arguments.length;
    }`;
    expect(freeVariables(source)).toEqual([]);
  });

  it('does not count property names, but does count shorthand properties and computed keys', () => {
    expect(freeVariables('(x) => x.k + ({ k: 1 }).k')).toEqual([]);
    expect(freeVariables('(x) => ({ x, k })')).toEqual(['k']);
    expect(freeVariables('(x) => ({ [key]: x })')).toEqual(['key']);
  });

  it('reports writes to outer variables', () => {
    expect(freeVariables('(x) => { seen = x; }')).toEqual(['seen']);
  });

  it('reports `this` taken by an arrow but not `this` inside a function', () => {
    expect(freeVariables('(x) => x + this.k')).toEqual(['this']);
    expect(freeVariables('function (x) { return x + this.k; }')).toEqual([]);
  });

  it('does not allow require', () => {
    expect(freeVariables('(x) => require("fs")')).toEqual(['require']);
  });

  it('throws SerializationError for source that does not parse', () => {
    expect(() => freeVariables('(x) => {')).toThrow(SerializationError);
  });
});

describe('WORKER_GLOBALS', () => {
  it('holds only names a worker thread actually has', async () => {
    const names = [...WORKER_GLOBALS].filter((n) => n !== 'arguments');
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       parentPort.postMessage(workerData.filter((n) => !(n in globalThis)));`,
      { eval: true, workerData: names },
    );
    const missing = await new Promise<string[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(missing).toEqual([]);
  });

  it('includes the standard built-ins and excludes require', () => {
    for (const name of ['Math', 'JSON', 'Float64Array', 'console', 'Buffer', 'structuredClone', 'arguments']) {
      expect(WORKER_GLOBALS.has(name)).toBe(true);
    }
    for (const name of ['require', 'module', 'exports', '__dirname']) expect(WORKER_GLOBALS.has(name)).toBe(false);
  });
});

describe('functionSource', () => {
  it('keeps arrow functions as they are', () => {
    const fn = (x: number): number => x + 1;
    expect(functionSource(fn, 'map')).toBe(fn.toString());
  });

  it('keeps function declarations, async and generator functions as they are', () => {
    function double(x: number): number {
      return x * 2;
    }
    async function later(x: number): Promise<number> {
      return x;
    }
    function* count(n: number): Generator<number> {
      for (let i = 0; i < n; i++) yield i;
    }
    for (const fn of [double, later, count, async (x: number) => x]) expect(functionSource(fn, 'map')).toBe(fn.toString());
  });

  it('rewrites method shorthand to a named function expression', () => {
    const obj = {
      inc(x: number): number {
        return x + 1;
      },
    };
    const source = functionSource(obj.inc, 'map');
    expect(source).toMatch(/^function inc\(x\)/);
    expect(reviveFunction<(x: number) => number>(source)(1)).toBe(2);
  });

  it('rewrites async and generator method shorthand', async () => {
    const obj = {
      async load(x: number): Promise<number> {
        return x * 3;
      },
      *pairs(n: number): Generator<number> {
        yield n;
        yield n + 1;
      },
    };
    const load = functionSource(obj.load, 'mapPartitions');
    const pairs = functionSource(obj.pairs, 'flatMap');
    expect(load).toMatch(/^async function load\(/);
    expect(pairs).toMatch(/^function\* pairs\(/);
    expect(await reviveFunction<(x: number) => Promise<number>>(load)(2)).toBe(6);
    expect([...reviveFunction<(n: number) => Iterable<number>>(pairs)(5)]).toEqual([5, 6]);
  });

  it('drops a method name that is not a valid binding', () => {
    const obj = {
      delete(x: number): number {
        return -x;
      },
      ['not an identifier'](x: number): number {
        return x;
      },
    };
    expect(functionSource(obj.delete, 'map')).toMatch(/^function \(x\)/);
    expect(functionSource(obj['not an identifier'], 'map')).toMatch(/^function \(x\)/);
    expect(reviveFunction<(x: number) => number>(functionSource(obj.delete, 'map'))(4)).toBe(-4);
  });

  it('leaves a method anonymous when its body reads an outer variable of the same name', () => {
    const scale = 3;
    const obj = {
      scale(x: number): number {
        return x * scale;
      },
    };
    expect(functionSource(obj.scale, 'map')).toMatch(/^function \(x\)/);
    expect(() => checkShippable(obj.scale, 'map')).toThrow(FreeVariableError);
  });

  it('throws SerializationError for a method that uses super', () => {
    const base = { twice: (x: number): number => x * 2 };
    const obj = {
      __proto__: base,
      twice(x: number): number {
        return super.twice(x) + 1;
      },
    };
    expect(() => functionSource(obj.twice, 'map')).toThrow(SerializationError);
  });

  it('throws SerializationError for built-in functions, with the fix', () => {
    const err = caught(() => functionSource(Math.sqrt, 'map'));
    expect(err).toBeInstanceOf(SerializationError);
    expect((err as Error).message).toBe(
      'map function `sqrt` is a built-in or bound function and cannot be shipped; wrap it: rdd.map((x) => Math.sqrt(x))',
    );
  });

  it('throws SerializationError for bound functions', () => {
    const bound = ((x: number) => x).bind(null);
    expect(() => functionSource(bound, 'filter')).toThrow(SerializationError);
  });

  it('throws SerializationError for classes', () => {
    class Point {}
    expect(() => functionSource(Point, 'map')).toThrow(/is a class/);
  });
});

describe('checkShippable', () => {
  it('returns the source of a self-contained function', () => {
    const fn = (x: number, env: { k: number }): number => Math.max(x, env.k);
    expect(checkShippable(fn, 'map')).toBe(fn.toString());
  });

  it('throws FreeVariableError naming the captured variable and the env fix', () => {
    const k = 2;
    const err = caught(() => checkShippable((x: number) => x * k, 'map'));
    expect(err).toBeInstanceOf(FreeVariableError);
    expect((err as FreeVariableError).variables).toEqual(['k']);
    expect((err as FreeVariableError).operation).toBe('map');
    expect((err as Error).message).toBe(
      'map function uses variable `k` from its enclosing scope, which does not travel to worker threads or ' +
        'processes. Pass it through env instead: rdd.map((x, env) => ... env.k ..., { k })',
    );
  });

  it('names every captured variable', () => {
    const lo = 1;
    const hi = 5;
    const err = caught(() => checkShippable((x: number) => x > lo && x < hi, 'filter'));
    expect((err as Error).message).toContain('uses variables `hi`, `lo` from its enclosing scope');
    expect((err as Error).message).toContain('rdd.filter((x, env) => ... env.hi ... env.lo ..., { hi, lo })');
  });

  it('uses the RDD method name in the example when the operation is decorated', () => {
    const k = 1;
    const err = caught(() => checkShippable((x: number) => x + k, 'map (function in env)'));
    expect((err as Error).message).toContain('rdd.map((x, env) =>');
  });
});

describe('reviveFunction', () => {
  it('rebuilds a working function from its source', () => {
    const add = reviveFunction<(a: number, b: number) => number>('(a, b) => a + b');
    expect(add(2, 3)).toBe(5);
  });

  it('caches by source', () => {
    const source = '(x) => x * 7';
    expect(reviveFunction(source)).toBe(reviveFunction(source));
  });

  it('survives a trailing line comment in the source', () => {
    expect(reviveFunction<() => number>('function () { return 1 } // done')()).toBe(1);
  });

  it('throws SerializationError naming the source when it does not compile', () => {
    const err = caught(() => reviveFunction('(x) => { return x +'));
    expect(err).toBeInstanceOf(SerializationError);
    expect((err as Error).message).toBe('shipped function does not compile: (x) => { return x +');
    expect((err as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('throws SerializationError when the source is not a function', () => {
    expect(() => reviveFunction('42')).toThrow(/not a function/);
  });
});
