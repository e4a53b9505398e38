import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type sesLocal from 'aws-ses-v2-local';
import { type Log, StartupError } from '../log.ts';
import { boundPort } from '../ports.ts';

/**
 * aws-ses-v2-local, in-process. Its own default host is every interface ('::'): always pass one.
 * Its web page (GET /) is the local inbox; GET /store lists what was sent as JSON. Sent mail is
 * kept in memory only (module-global, so it outlives a stop/start within one process) and is gone
 * after a restart of `npm start`.
 */
// A CommonJS module with `exports.default`: Node's ESM default import gives module.exports while
// vitest's gives exports.default. require() gives the same thing in both.
const startSesServer = (
  createRequire(import.meta.url)('aws-ses-v2-local') as { default: typeof sesLocal.default }
).default;

export interface SesLocal {
  /** http://127.0.0.1:<port>: the endpoint for SESv2 clients. */
  endpoint: string;
  /** The inbox page, for people. */
  inboxUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface SesLocalOptions {
  /** 0 = any free port. */
  port: number;
  host?: string;
  log: Log;
}

export async function startSesLocal(options: SesLocalOptions): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = await startSesServer({ host, port: options.port });
  // It resolves even when listen failed (Express hands the error to its callback, which ignores
  // it), leaving a server that listens nowhere.
  if (!server.listening) {
    throw new StartupError(
      `Port ${options.port} is in use, so aws-ses-v2-local cannot listen there: pass --ses-port <port>.`,
    );
  }
  const port = boundPort(server);
  const endpoint = `http://${host}:${port}`;
  options.log.info(`aws-ses-v2-local on ${endpoint} (inbox at ${endpoint}/)`);
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    port,
    stop: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}
