/**
 * Lists every skipped test, with why, after vitest's summary: "5 skipped" alone hides a missing Python
 * module or an absent Grid Engine. A test says why with `ctx.skip(reason)` (vitest's note) or with
 * `(skipped: reason)` in its own or its suite's name (test/helpers/skip.ts builds such names); a skip with
 * neither is listed as "no reason given".
 *
 * @example
 *   Skipped tests (2):
 *     test/cluster/sge/sge-e2e.test.ts > master: sge > ... : qsub not found (install and start Grid Engine: bash scripts/start-sge.sh)
 */
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

/** `[start, end)` of the parenthesised group opening at `open` (nested parentheses allowed), or null. */
function group(text: string, open: number): [number, number] | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return [open, i + 1];
  }
  return null;
}

/** The reason in a skipped test's note or names, and the name without a `(skipped: ...)` part. */
export function skipReason(note: string | undefined, fullName: string): { name: string; reason: string } {
  const at = fullName.indexOf('(skipped: ');
  const span = at < 0 ? null : group(fullName, at);
  const name = span === null ? fullName : (fullName.slice(0, span[0]).trimEnd() + fullName.slice(span[1])).trim();
  const tagged = span === null ? undefined : fullName.slice(span[0] + '(skipped: '.length, span[1] - 1);
  const reason = note ?? tagged ?? /\(([^()]+)\)[^()]*$/.exec(fullName)?.[1] ?? 'no reason given';
  return { name, reason };
}

export default class SkipReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests() as Iterable<TestCase>) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        const { name, reason } = skipReason(result.note, test.fullName);
        lines.push(`  ${relative(this.root, module.moduleId)} > ${name}: ${reason}`);
      }
    }
    if (lines.length === 0) return;
    console.log(`\nSkipped tests (${lines.length}):\n${lines.join('\n')}\n`);
  }
}
