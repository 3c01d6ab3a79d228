import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleApi } from './api.ts';
import { handleControl } from './control.ts';
import { BodyTooLargeError, controlError, exactError, send } from './http.ts';
import { handleOAuth } from './oauth.route.ts';
import type { SimState } from './state.ts';

/** Exact refuses URLs over 6,000 characters. */
const MAX_URL = 6000;
const HOST_HEADER = /^[A-Za-z0-9.[\]:-]{1,255}$/;

async function route(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (url.length > MAX_URL)
    return send(res, exactError(414, `The URL is longer than ${MAX_URL} characters.`));
  const q = url.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  let path: string;
  try {
    path = decodeURIComponent(q < 0 ? url : url.slice(0, q));
  } catch {
    return send(res, exactError(400, 'The URL is not valid.'));
  }
  // Links we hand out (`__next`, `__metadata.uri`) use the host the client used to reach us.
  const host = req.headers.host;
  const baseUrl = host && HOST_HEADER.test(host) ? `http://${host}` : state.baseUrl;
  if (path.startsWith('/api/v1/'))
    return handleApi(state, req, res, path.slice('/api/v1/'.length), query, baseUrl);
  if (path.startsWith('/api/oauth2/')) return handleOAuth(state, req, res, path, query);
  if (path.startsWith('/_sim/')) return handleControl(state, req, res, path, query);
  send(res, exactError(404, `Resource not found for the segment '${path.slice(0, 200)}'.`));
}

/** The HTTP server: plain node:http, so a 1,000-record sync page costs the simulator next to nothing. */
export function createSimServer(state: SimState): Server {
  const server = createServer((req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError)
        return send(res, controlError(413, 'body_too_large', error.message));
      state.logger.error({ err: error, url: req.url?.split('?')[0] }, 'request failed');
      send(res, exactError(500, 'An internal error occurred.'));
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.keepAliveTimeout = 10_000;
  return server;
}
