import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on 127.0.0.1 by listening on port 0 and closing again.
 * Another process could take the port in between; for a local runtime that risk is accepted.
 * In-process servers that can report their own port (s3rver, aws-ses-v2-local, the gateway)
 * are simply given port 0 instead.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** The port a listening node server was given (useful after listening on port 0). */
export function boundPort(server: { address(): unknown }): number {
  const address = server.address();
  if (address && typeof address === 'object' && 'port' in address && typeof address.port === 'number') {
    return address.port;
  }
  throw new Error('server is not listening on a TCP port');
}
