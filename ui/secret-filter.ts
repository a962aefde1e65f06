/**
 * The last line of defence for the cluster secret: every text the dashboard sends passes through
 * here, and any occurrence of a secret (as it would appear inside a JSON string, too) is replaced.
 * The dashboard never puts the secret in a response on purpose; this guards against a task error
 * or a master URL that happens to quote it.
 */

const REDACTED = '[redacted]';

export class SecretFilter {
  private readonly needles: string[];

  /** Secrets shorter than 4 characters are not searched for: they would match ordinary text. */
  constructor(secrets: readonly (string | undefined)[]) {
    const set = new Set<string>();
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < 4) continue;
      set.add(s);
      set.add(JSON.stringify(s).slice(1, -1));
    }
    // Longest first, so that a secret containing another is replaced whole.
    this.needles = [...set].sort((a, b) => b.length - a.length);
  }

  clean(text: string): string {
    let out = text;
    for (const n of this.needles) if (out.includes(n)) out = out.split(n).join(REDACTED);
    return out;
  }
}

/** A URL without user:password@ (a master URL is shown, its credentials never). */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
