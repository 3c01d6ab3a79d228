import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** A key and a self-signed certificate for one host name, made with openssl for this test run. */
function selfSigned(hostname: string): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'callback-tls-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
        .concat(['-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${hostname}`])
        .concat(['-addext', `subjectAltName=DNS:${hostname}`]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Received {
  path: string;
  /** The name the client asked for in TLS (SNI). */
  servername: string | false | null;
  host: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * An HTTPS server on 127.0.0.1 with a certificate for `hostname`: `/redirect` answers 302, `/silent` never answers,
 * anything else 204. It keeps what it received.
 */
export async function startTlsServer(hostname: string) {
  const { key, cert } = selfSigned(hostname);
  const received: Received[] = [];
  const server = createServer({ key, cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const socket = req.socket as TLSSocket;
      const path = req.url ?? '';
      received.push({
        path,
        servername: socket.servername,
        host: req.headers.host,
        headers: req.headers,
        body,
      });
      if (path === '/silent') return;
      if (path === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca: cert,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
