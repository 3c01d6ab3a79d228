import type { HostResolver } from '../src/callback-target.ts';

/** A resolver that answers from a script, one answer per lookup, and counts the lookups. */
export function scriptedResolver(...answers: string[][]): HostResolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    const next = answers.shift();
    if (!next) throw Object.assign(new Error('no answer scripted'), { code: 'ENOTFOUND' });
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { lookups });
}
