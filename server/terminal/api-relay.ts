import { rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';

export interface ApiRelay {
  close(): Promise<void>;
}

/**
 * The host half of a sandbox's only network path: a unix socket (bound into the sandbox) that
 * forwards every connection to one API server. Bytes pass through untouched; TLS and
 * authentication stay between kubectl and the API server.
 */
export async function startApiRelay(socketPath: string, target: { host: string; port: number }): Promise<ApiRelay> {
  await rm(socketPath, { force: true });
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
