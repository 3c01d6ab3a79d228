import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; `raw` is pre-serialized JSON, `body` is serialized here. */
export interface Reply {
  status: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Exact's REST error body. */
function exactErrorBody(message: string): {
  error: { code: string; message: { lang: string; value: string } };
} {
  return { error: { code: '', message: { lang: '', value: message } } };
}

export function exactError(status: number, message: string, headers?: Record<string, string>): Reply {
  return { status, body: exactErrorBody(message), ...(headers ? { headers } : {}) };
}

/** The control API's error shape. */
export function controlError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const payload = reply.raw ?? (reply.body === undefined ? undefined : JSON.stringify(reply.body));
  const headers: Record<string, string | number> = { ...reply.headers };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    headers['Content-Length'] = Buffer.byteLength(payload);
  } else {
    headers['Content-Length'] = 0;
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads the request body as text, refusing more than `limit` bytes (Exact takes POST bodies up to 10 MB). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses JSON text, answering undefined for anything that is not valid JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
