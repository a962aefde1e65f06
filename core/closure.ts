/**
 * Shipping user functions to worker threads and processes as source text.
 *
 * A function passed to a transformation travels as `fn.toString()` and is rebuilt on the worker
 * with `new Function`, so it must be self-contained: the variables it captured stay behind on the
 * driver. Captured values travel in an explicit `env` argument instead:
 *
 *   const k = 2;
 *   rdd.map((x, env) => x * env.k, { k });
 *
 * checkShippable() catches a forgotten capture on the driver, before any task runs, by parsing the
 * source with acorn and listing its free identifiers (acorn-globals) minus the globals every worker
 * has (WORKER_GLOBALS).
 */

import { parse } from 'acorn';
import type { Expression, Program } from 'acorn';
import findGlobals from 'acorn-globals';

import { FreeVariableError, SerializationError } from './errors.js';

/**
 * Names a shipped function may use without passing them through env: the standard globals of a
 * Node worker thread (ECMAScript built-ins, Web APIs Node provides, `console`, `Buffer`, `process`),
 * plus `arguments`. CommonJS module locals (`require`, `module`, `__dirname`) are not among them.
 */
export const WORKER_GLOBALS: ReadonlySet<string> = new Set([
  // ECMAScript
  'globalThis', 'undefined', 'NaN', 'Infinity', 'arguments', 'eval',
  'Object', 'Function', 'Array', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON',
  'Date', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Promise', 'Proxy', 'Reflect', 'Intl', 'Atomics', 'WebAssembly',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite',
  'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'escape', 'unescape',
  // Node and Web APIs
  'global', 'console', 'process', 'Buffer', 'performance', 'structuredClone', 'queueMicrotask',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
  'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'atob', 'btoa',
  'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'DOMException',
  'MessageChannel', 'MessagePort', 'BroadcastChannel', 'crypto',
  'Blob', 'fetch', 'Headers', 'Request', 'Response', 'FormData',
]);

const NATIVE_CODE = /\{\s*\[native code\]\s*\}\s*$/;
const FUNCTION_TYPES = new Set(['FunctionExpression', 'ArrowFunctionExpression']);

/**
 * The source of `fn` as an expression that evaluates to the function: arrows, `function`
 * declarations and expressions, async and generator functions as they are; method shorthand
 * (`f(x) {…}`, `async f() {…}`, `*f() {…}`) rewritten to a `function` expression. Throws
 * SerializationError for built-in, bound and class functions, and for methods that use `super`.
 */
export function functionSource(fn: Function, operation: string): string {
  const text = fn.toString();
  if (NATIVE_CODE.test(text)) {
    throw new SerializationError(
      `${operation} function ${describe(fn)}is a built-in or bound function and cannot be shipped; ` +
        `wrap it: rdd.${operation}((x) => Math.sqrt(x))`,
    );
  }
  if (/^class\b/.test(text)) {
    throw new SerializationError(
      `${operation} function ${describe(fn)}is a class; classes cannot be shipped. Pass a function instead, ` +
        `e.g. rdd.${operation}((x) => ({ ...x }))`,
    );
  }
  if (parsesAsFunction(text)) return text;
  const method = methodAsFunction(text);
  if (method !== undefined) return method;
  throw new SerializationError(
    `${operation} function could not be turned into shippable source (a method using super?): ${snippet(text)}`,
  );
}

/**
 * Identifiers the function source reads or writes without declaring them, minus WORKER_GLOBALS,
 * sorted and unique. `this` appears as 'this' when an arrow function takes it from its scope.
 */
export function freeVariables(source: string): string[] {
  let program: Program;
  try {
    program = parse(`(${source}\n)`, { ecmaVersion: 'latest' });
  } catch (err) {
    throw new SerializationError(`function source does not parse: ${snippet(source)}`, { cause: err });
  }
  return findGlobals(program)
    .map((ref) => ref.name)
    .filter((name) => !WORKER_GLOBALS.has(name));
}

/**
 * Returns the source to ship for `fn`, or throws FreeVariableError naming the captured variables
 * and showing how to pass them through env.
 */
export function checkShippable(fn: Function, operation: string): string {
  const source = functionSource(fn, operation);
  const free = freeVariables(source);
  if (free.length > 0) throw new FreeVariableError(operation, free, freeVariableMessage(operation, free));
  return source;
}

const MAX_CACHED = 1024;
const revived = new Map<string, Function>();

/**
 * Rebuilds a function from shipped source. Results are cached by source, so a task that runs the
 * same closure over many partitions compiles it once. Throws SerializationError if it does not compile.
 */
export function reviveFunction<F extends Function>(source: string): F {
  let fn = revived.get(source);
  if (fn === undefined) {
    let value: unknown;
    try {
      value = new Function(`return (${source}\n)`)();
    } catch (err) {
      throw new SerializationError(`shipped function does not compile: ${snippet(source)}`, { cause: err });
    }
    if (typeof value !== 'function') {
      throw new SerializationError(`shipped source is not a function: ${snippet(source)}`);
    }
    fn = value as Function;
    if (revived.size >= MAX_CACHED) revived.delete(revived.keys().next().value!);
    revived.set(source, fn);
  }
  return fn as F;
}

function freeVariableMessage(operation: string, free: readonly string[]): string {
  // The example calls the RDD method: 'map (function in env)' still shows rdd.map(...).
  const method = /^[A-Za-z_$][\w$]*/.exec(operation)?.[0] ?? 'map';
  const names = free.filter((name) => name !== 'this');
  const parts: string[] = [];
  if (names.length > 0) {
    const one = names.length === 1;
    const list = names.map((n) => `\`${n}\``).join(', ');
    const uses = names.map((n) => `env.${n}`).join(' ... ');
    parts.push(
      `${operation} function uses ${one ? 'variable' : 'variables'} ${list} from its enclosing scope, ` +
        `which ${one ? 'does' : 'do'} not travel to worker threads or processes. Pass ${one ? 'it' : 'them'} ` +
        `through env instead: rdd.${method}((x, env) => ... ${uses} ..., { ${names.join(', ')} })`,
    );
  }
  if (free.includes('this')) {
    parts.push(
      `${operation} function is an arrow function that uses \`this\` from its enclosing scope, which does not ` +
        `travel to workers. Copy what it needs into env: rdd.${method}((x, env) => ... env.value ..., { value: this.value })`,
    );
  }
  return parts.join('\n');
}

/** Whether `text` is, on its own, a function or arrow expression. */
function parsesAsFunction(text: string): boolean {
  const expr = parseExpression(text);
  return expr !== undefined && FUNCTION_TYPES.has(expr.type);
}

/** Rewrites method shorthand source (`async *name(params) {…}`) to a `function` expression. */
function methodAsFunction(text: string): string | undefined {
  const wrapped = `({${text}\n})`;
  const object = parseExpressionSource(wrapped);
  if (object?.type !== 'ObjectExpression' || object.properties.length !== 1) return undefined;
  const prop = object.properties[0];
  if (prop?.type !== 'Property' || (!prop.method && prop.kind === 'init')) return undefined;
  const fn = prop.value;
  if (fn.type !== 'FunctionExpression') return undefined;
  // A method's FunctionExpression node starts at its parameter list.
  const head = `${fn.async ? 'async ' : ''}function${fn.generator ? '*' : ''}`;
  const rest = wrapped.slice(fn.start, fn.end);
  const anonymous = `${head} ${rest}`;
  if (!parsesAsFunction(anonymous)) return undefined; // e.g. uses super
  const name = !prop.computed && prop.key.type === 'Identifier' ? prop.key.name : '';
  // Keep the name for stack traces unless it is not a valid binding, or the body reads an outer
  // variable of the same name (which a named function expression would shadow).
  if (name === '' || freeVariables(anonymous).includes(name)) return anonymous;
  const named = `${head} ${name}${rest}`;
  return parsesAsFunction(named) ? named : anonymous;
}

function parseExpression(text: string): Expression | undefined {
  return parseExpressionSource(`(${text}\n)`);
}

function parseExpressionSource(source: string): Expression | undefined {
  let program: Program;
  try {
    program = parse(source, { ecmaVersion: 'latest' });
  } catch {
    return undefined;
  }
  const statement = program.body[0];
  if (program.body.length !== 1 || statement?.type !== 'ExpressionStatement') return undefined;
  return statement.expression;
}

function describe(fn: Function): string {
  return fn.name ? `\`${fn.name}\` ` : '';
}

function snippet(source: string): string {
  const flat = source.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
