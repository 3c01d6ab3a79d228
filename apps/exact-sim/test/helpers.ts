import { type StartOptions, startSimulator } from '../src/index.ts';

/** A collection answer as Exact sends it. */
export interface Collection<T = Record<string, unknown>> {
  d: { results: T[]; __next?: string };
}

export interface ExactErrorBody {
  error: { code: string; message: { lang: string; value: string } };
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  expires_in: string;
  token_type: string;
}

export interface ControlAnswer<T> {
  status: number;
  body: T;
}

export const DIVISION = 100001;
export const OTHER_DIVISION = 100002;

/** Starts a small simulator in-process and gives tests the calls a real client makes. */
export async function startSim(options: StartOptions = {}) {
  const sim = await startSimulator({ items: 40, accounts: 15, logLevel: 'error', ...options });

  async function control<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ControlAnswer<T>> {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function tokens(body: { clientId?: string; division?: number } = {}): Promise<TokenSet> {
    return (await control<TokenSet>('POST', '/_sim/tokens', body)).body;
  }

  async function token(body: { clientId?: string; division?: number } = {}): Promise<string> {
    return (await tokens(body)).access_token;
  }

  /** A call under `/api/v1/`, as a client with `bearer` would make it. */
  function api(bearer: string, path: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${sim.url}/api/v1/${path}`;
    return fetch(url, {
      ...init,
      headers: {
        Authorization: `Bearer ${bearer}`,
        Accept: 'application/json',
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  async function entities<T = Record<string, unknown>>(entity: string, division = DIVISION): Promise<T[]> {
    return (await control<{ data: T[] }>('GET', `/_sim/divisions/${division}/entities/${entity}`)).body.data;
  }

  /** Moves the sim clock to just after the next 00:00 UTC: every window (minute, hour, day) has just begun. */
  async function alignClock(): Promise<void> {
    const { now } = (await control<{ now: number }>('GET', '/_sim/clock')).body;
    await control('POST', '/_sim/clock/advance', { ms: 86_400_000 - (now % 86_400_000) + 1 });
  }

  // Tests that count calls within a window must not straddle a window boundary by bad luck.
  await alignClock();
  return { ...sim, control, tokens, token, api, entities, alignClock };
}

export type Sim = Awaited<ReturnType<typeof startSim>>;

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Every `X-RateLimit-*` header of a response. */
export function rateHeaders(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith('x-ratelimit-')) out[name.toLowerCase()] = value;
  });
  return out;
}

/** Follows `__next` links to the end, answering all records and the number of calls made. */
export async function readAll<T>(
  sim: Sim,
  bearer: string,
  firstPath: string,
): Promise<{ records: T[]; calls: number }> {
  const records: T[] = [];
  let next: string | undefined = firstPath;
  let calls = 0;
  while (next) {
    const response = await sim.api(bearer, next);
    calls++;
    if (response.status !== 200) throw new Error(`${next} answered ${response.status}`);
    const page = await json<Collection<T>>(response);
    records.push(...page.d.results);
    next = page.d.__next;
  }
  return { records, calls };
}
