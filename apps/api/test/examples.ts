import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { repoRoot, waitFor } from '@exact-sync/testkit';
import { expect } from 'vitest';

const run = promisify(execFile);

/** One example request as a reader sees it: the curl command, and the answer documented under it, if any. */
export interface Example {
  command: string;
  /** `# → 202 {...}`: the status, and the comment's text (which may name a `"status":"…"` the order reaches). */
  documented?: { status: number; text: string };
}

/** The curl commands of a text (continued lines joined), each with the `# → …` comment that follows it. */
export function examplesIn(text: string): Example[] {
  const lines = text.replace(/\\\n\s*/g, '').split('\n');
  const examples: Example[] = [];
  for (const line of lines.map((l) => l.trim())) {
    const answer = /^# → (\d{3})\b(.*)$/.exec(line);
    const last = examples.at(-1);
    if (answer && last) last.documented = { status: Number(answer[1]), text: answer[2] ?? '' };
    else if (line.startsWith('curl ')) examples.push({ command: line });
  }
  return examples;
}

/** The shell block of the README's "The demo" section. */
export function readmeDemoBlock(): string {
  const readme = readFileSync(`${repoRoot}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## The demo'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no demo commands');
  return block;
}

/** Runs a curl command as a shell would, answering its status and parsed body. */
async function curl(command: string): Promise<{ status: number; body: unknown }> {
  const { stdout } = await run('bash', ['-c', `${command} -sS -w '\\n%{http_code}'`], { timeout: 20_000 });
  const cut = stdout.lastIndexOf('\n');
  const text = stdout.slice(0, cut);
  return { status: Number(stdout.slice(cut + 1)), body: text ? JSON.parse(text) : undefined };
}

/**
 * Runs examples in order with the given placeholders filled in, checking each documented status (or `expected`'s),
 * and an order's documented `"status":"…"` once it gets there. Placing an order fills in `<id>`-like placeholders
 * for the requests after it. Answers the placed order's id.
 */
export async function runExamples(
  examples: Example[],
  fill: Record<string, string>,
  expected: number[] = [],
): Promise<string | undefined> {
  let orderId: string | undefined;
  for (const [i, example] of examples.entries()) {
    let command = example.command;
    for (const [placeholder, value] of Object.entries(fill)) command = command.replaceAll(placeholder, value);
    if (orderId) command = command.replace(/<id[^>]*>/g, orderId);
    expect(command, 'a placeholder is left').not.toMatch(/<[a-z ]+>/);
    const answer = await curl(command);
    expect(answer.status, `${command}\n${JSON.stringify(answer.body)}`).toBe(
      example.documented?.status ?? expected[i],
    );
    const id = (answer.body as { id?: unknown } | undefined)?.id;
    if (/ -d '/.test(command) && typeof id === 'string') orderId = id;
    const reaches = /"status":"(\w+)"/.exec(example.documented?.text ?? '')?.[1];
    if (reaches && reaches !== 'accepted') {
      await waitFor(`${command} to answer status ${reaches}`, async () => {
        const again = await curl(command);
        return (again.body as { status?: string }).status === reaches;
      });
    }
  }
  return orderId;
}
