/** An answer of the api that is not a success, with the api's stable error code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The api could not be reached at all. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

export interface ApiClient {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A small JSON client for the operator routes; the admin token goes in the Authorization header only. */
export function createApiClient(input: {
  baseUrl: string;
  adminToken: string;
  fetch?: typeof fetch;
}): ApiClient {
  const doFetch = input.fetch ?? fetch;
  const base = input.baseUrl.replace(/\/+$/, '');
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: {
            Accept: 'application/json',
            Authorization: `Bearer ${input.adminToken}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        throw new ApiUnreachableError(`cannot reach the api at ${base} (${cause}); is it running? (API_URL)`);
      }
      const text = await res.text();
      const parsed = text ? safeJson(text) : undefined;
      if (res.ok) return parsed as T;
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } })?.error;
      throw new ApiError(
        res.status,
        error?.code ?? `http_${res.status}`,
        error?.message ?? `the api answered ${res.status}`,
        error?.details,
      );
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
