/** Types for acorn-globals 7 (CommonJS, ships none): lists the free identifiers of a script. */
declare module 'acorn-globals' {
  import type { Node, Options } from 'acorn';

  /** One free name and the nodes that reference it (`this` is reported as the name 'this'). */
  interface GlobalReference {
    readonly name: string;
    readonly nodes: readonly Node[];
  }

  /** Parses `source` (or walks an already parsed Program) and returns its free names, sorted. */
  function findGlobals(source: string | Node, options?: Partial<Options>): GlobalReference[];

  export = findGlobals;
}
