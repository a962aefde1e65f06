/**
 * File-name globs, the one dialect every path option takes (`textFile`, `readCsv`, `batch init`):
 * `*` (any run of characters), `?` (one character) and `[abc]` / `[!abc]` (one of, or none of, a set),
 * never across a `/`.
 */

/** True when `path` holds a glob character (`*`, `?` or `[`). */
export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** A file-name glob as an anchored RegExp; a `[` with no `]` after it matches itself. */
export function globRegExp(glob: string): RegExp {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*') src += '[^/]*';
    else if (ch === '?') src += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) src += '\\[';
      else {
        src += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else src += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}
