/**
 * How the folders above core add members to every Context (`ctx.images`, `ctx.readCsv`, `ctx.tomo`,
 * `ctx.ui`) without core importing them. Each folder's index.ts calls this once, in the block that
 * lists everything its entry adds, and types the members on Context by declaration merging; nothing
 * else in the package touches Context.prototype.
 *
 * @example
 *   declare module '../core/context.js' {
 *     interface Context { readonly images: Images }
 *   }
 *   defineContextMembers({ images: { get() { return new Images(this); } } });
 */
import { Context } from './context.js';

/** A getter (`ctx.images`) or a method (`ctx.readCsv(path)`); `this` is the context. */
export type ContextMember =
  | {
      /** Computes the property on each read (`ctx.images`). */
      readonly get: (this: Context) => unknown;
    }
  | {
      /** The method (`ctx.readCsv(path)`). */
      readonly value: (this: Context, ...args: never[]) => unknown;
    };

/**
 * Adds `members` to Context.prototype, not enumerable. A name Context already has is left as it is,
 * so evaluating an entry a second time (a test runner's fresh module graph over the same classes)
 * changes nothing.
 */
export function defineContextMembers(members: Readonly<Record<string, ContextMember>>): void {
  for (const [name, member] of Object.entries(members)) {
    if (Object.getOwnPropertyDescriptor(Context.prototype, name)) continue;
    const descriptor: PropertyDescriptor = 'get' in member ? { get: member.get, configurable: true } : { value: member.value, configurable: true, writable: true };
    Object.defineProperty(Context.prototype, name, descriptor);
  }
}
