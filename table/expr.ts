/**
 * Column expressions: `col('volume').gt(100).and(col('sample').eq('A'))`. An expression is data (a
 * small JSON tree, `ExprNode`) so it travels to workers as parameters, not as source, and it is
 * evaluated a whole column at a time. Comparisons and logic give 1 or 0; a comparison with a missing
 * value (NaN, null) is 0 (false), as in SQL's WHERE; arithmetic on a missing value is NaN.
 */
import { columnAt, fieldIndex, isStringColumn, type Batch, type StringColumn } from './batch.js';
import { TableError } from './table-error.js';

const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'gt', 'ge', 'lt', 'le', 'eq', 'ne', 'and', 'or'] as const;
const UNARY = ['neg', 'not', 'abs', 'sqrt', 'log', 'exp', 'isNull'] as const;
type BinaryOp = (typeof BINARY)[number];
type UnaryOp = (typeof UNARY)[number];

/** The serializable form of an expression. */
export type ExprNode =
  | {
      /** A column, by name. */
      readonly col: string;
    }
  | {
      /** A constant. */
      readonly lit: number | string;
    }
  | {
      /** The operator applied to `args`. */
      readonly op: BinaryOp | UnaryOp;
      /** Its operands: one for a unary operator, two for a binary one. */
      readonly args: readonly ExprNode[];
    };

type Operand = Expr | number | string;

/** A column expression; build with `col(name)` and `lit(value)`. */
export class Expr {
  constructor(
    /** The expression as data. */
    readonly node: ExprNode,
  ) {}
  /** `this + o`. */
  add(o: Operand): Expr { return bin('add', this, o); }
  /** `this - o`. */
  sub(o: Operand): Expr { return bin('sub', this, o); }
  /** `this * o`. */
  mul(o: Operand): Expr { return bin('mul', this, o); }
  /** `this / o` (IEEE: x / 0 is ±Infinity or NaN). */
  div(o: Operand): Expr { return bin('div', this, o); }
  /** `this ** o`. */
  pow(o: Operand): Expr { return bin('pow', this, o); }
  /** 1 where `this > o`, else 0 (0 where either is missing). */
  gt(o: Operand): Expr { return bin('gt', this, o); }
  /** 1 where `this >= o`, else 0 (0 where either is missing). */
  ge(o: Operand): Expr { return bin('ge', this, o); }
  /** 1 where `this < o`, else 0 (0 where either is missing). */
  lt(o: Operand): Expr { return bin('lt', this, o); }
  /** 1 where `this <= o`, else 0 (0 where either is missing). */
  le(o: Operand): Expr { return bin('le', this, o); }
  /** 1 where `this` equals `o` (numbers, or text against a string column), else 0. */
  eq(o: Operand): Expr { return bin('eq', this, o); }
  /** 1 where `this` differs from `o`, else 0 (0 where either is missing). */
  ne(o: Operand): Expr { return bin('ne', this, o); }
  /** 1 where both are non-zero and not missing, else 0. */
  and(o: Operand): Expr { return bin('and', this, o); }
  /** 1 where either is non-zero and not missing, else 0. */
  or(o: Operand): Expr { return bin('or', this, o); }
  /** `-this`. */
  neg(): Expr { return un('neg', this); }
  /** 1 where `this` is 0, else 0. */
  not(): Expr { return un('not', this); }
  /** `|this|`. */
  abs(): Expr { return un('abs', this); }
  /** Square root (NaN below 0). */
  sqrt(): Expr { return un('sqrt', this); }
  /** Natural logarithm. */
  log(): Expr { return un('log', this); }
  /** `e ** this`. */
  exp(): Expr { return un('exp', this); }
  /** 1 where the value is missing (NaN, or a missing text cell), else 0. */
  isNull(): Expr { return un('isNull', this); }
  /** The serializable form (what travels to workers). */
  toJSON(): ExprNode { return this.node; }
}

/** The column `name`. */
export function col(name: string): Expr {
  if (typeof name !== 'string' || name === '') throw new TableError('col', `expected a column name, got ${JSON.stringify(name)}`, "write col('volume')");
  return new Expr({ col: name });
}

/** A constant. */
export function lit(value: number | string): Expr {
  return new Expr({ lit: value });
}

function operand(o: Operand): ExprNode {
  return o instanceof Expr ? o.node : { lit: o };
}
function bin(op: BinaryOp, a: Expr, b: Operand): Expr {
  return new Expr({ op, args: [a.node, operand(b)] });
}
function un(op: UnaryOp, a: Expr): Expr {
  return new Expr({ op, args: [a.node] });
}

/** Values an expression takes over a batch: numbers, or strings where it names a string column or literal. */
type Values = Float64Array | { readonly strings: StringColumn } | { readonly text: string };

/** Evaluates `node` over `batch` as numbers (a string result is an error naming the expression). */
export function evaluate(node: ExprNode, batch: Batch): Float64Array {
  const v = values(node, batch);
  if (v instanceof Float64Array) return v;
  throw new TableError('expression', `${show(node)} is text, not a number`, 'compare it with eq/ne, or use a numeric column');
}

function values(node: ExprNode, batch: Batch): Values {
  const n = batch.length;
  if ('col' in node) {
    const c = columnAt(batch, fieldIndex(batch.fields, node.col, 'expression'));
    return isStringColumn(c) ? { strings: c } : Float64Array.from(c);
  }
  if ('lit' in node) return typeof node.lit === 'string' ? { text: node.lit } : new Float64Array(n).fill(node.lit);
  if (!(BINARY as readonly string[]).includes(node.op) && !(UNARY as readonly string[]).includes(node.op)) {
    throw new TableError('expression', `unknown operator '${String(node.op)}'`, `use one of ${[...BINARY, ...UNARY].join(', ')}`);
  }
  if (node.args.length === 1) return unary(node.op as UnaryOp, values(node.args[0] as ExprNode, batch), n);
  const a = values(node.args[0] as ExprNode, batch);
  const b = values(node.args[1] as ExprNode, batch);
  if (!(a instanceof Float64Array) || !(b instanceof Float64Array)) return compareText(node, node.op as BinaryOp, a, b, n);
  return binary(node.op as BinaryOp, a, b);
}

function unary(op: UnaryOp, a: Values, n: number): Float64Array {
  const out = new Float64Array(n);
  if (op === 'isNull') {
    if (a instanceof Float64Array) for (let i = 0; i < n; i++) out[i] = Number.isNaN(a[i] as number) ? 1 : 0;
    else if ('strings' in a) for (let i = 0; i < n; i++) out[i] = (a.strings.codes[i] as number) < 0 ? 1 : 0;
    return out;
  }
  if (!(a instanceof Float64Array)) throw new TableError('expression', `${op} of text`, 'apply it to a numeric column');
  const f: (x: number) => number =
    op === 'neg' ? (x) => -x : op === 'not' ? (x) => (x === 0 ? 1 : 0) : op === 'abs' ? Math.abs : op === 'sqrt' ? Math.sqrt : op === 'log' ? Math.log : Math.exp;
  for (let i = 0; i < n; i++) out[i] = f(a[i] as number);
  return out;
}

function binary(op: BinaryOp, a: Float64Array, b: Float64Array): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  // One loop per operator keeps each loop monomorphic (no per-element dispatch).
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number); break;
    case 'sub': for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number); break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number); break;
    case 'div': for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number); break;
    case 'pow': for (let i = 0; i < n; i++) out[i] = (a[i] as number) ** (b[i] as number); break;
    case 'gt': for (let i = 0; i < n; i++) out[i] = (a[i] as number) > (b[i] as number) ? 1 : 0; break;
    case 'ge': for (let i = 0; i < n; i++) out[i] = (a[i] as number) >= (b[i] as number) ? 1 : 0; break;
    case 'lt': for (let i = 0; i < n; i++) out[i] = (a[i] as number) < (b[i] as number) ? 1 : 0; break;
    case 'le': for (let i = 0; i < n; i++) out[i] = (a[i] as number) <= (b[i] as number) ? 1 : 0; break;
    case 'eq': for (let i = 0; i < n; i++) out[i] = (a[i] as number) === (b[i] as number) ? 1 : 0; break;
    case 'ne': for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== (b[i] as number) && a[i] === a[i] && b[i] === b[i] ? 1 : 0; break;
    case 'and': for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== 0 && a[i] === a[i] && (b[i] as number) !== 0 && b[i] === b[i] ? 1 : 0; break;
    case 'or': for (let i = 0; i < n; i++) out[i] = ((a[i] as number) !== 0 && a[i] === a[i]) || ((b[i] as number) !== 0 && b[i] === b[i]) ? 1 : 0; break;
  }
  return out;
}

/** eq / ne between a string column and a string literal (or two string columns). */
function compareText(node: ExprNode, op: BinaryOp, a: Values, b: Values, n: number): Float64Array {
  if (op !== 'eq' && op !== 'ne') throw new TableError('expression', `${show(node)} applies ${op} to text`, 'text supports eq and ne only');
  const out = new Float64Array(n);
  const at = (v: Values, i: number): string | null =>
    v instanceof Float64Array ? String(v[i]) : 'text' in v ? v.text : (v.strings.codes[i] as number) < 0 ? null : (v.strings.dict[v.strings.codes[i] as number] as string);
  for (let i = 0; i < n; i++) {
    const x = at(a, i);
    const y = at(b, i);
    out[i] = x === null || y === null ? 0 : (x === y) === (op === 'eq') ? 1 : 0;
  }
  return out;
}

/** The expression as text, for messages. */
export function show(node: ExprNode): string {
  if ('col' in node) return `col(${JSON.stringify(node.col)})`;
  if ('lit' in node) return JSON.stringify(node.lit);
  return `${node.op}(${node.args.map(show).join(', ')})`;
}
