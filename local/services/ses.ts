import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type sesLocal from 'aws-ses-v2-local';
import type { Email } from 'aws-ses-v2-local/dist/store.js';
import { type Log, StartupError } from '../log.ts';
import { boundPort } from '../ports.ts';
import { appendLine, ensureDir, readLines, repairTail } from '../stepfunctions/journal.ts';

/**
 * aws-ses-v2-local, in-process. Its own default host is every interface ('::'): always pass one.
 * Its web page (GET /) is the local inbox; GET /store lists what was sent as JSON. Sent mail is
 * kept in memory (module-global, so it outlives a stop/start within one process) and, given a
 * `storeFile`, also appended there as it is sent and loaded back on start: the inbox survives a
 * restart of `npm start`, even a SIGKILL (one line a message, written before SES answers; see
 * local/stepfunctions/journal.ts). POST /clear-store empties the file too. Templates stay in
 * memory only.
 */
// A CommonJS module with `exports.default`: Node's ESM default import gives module.exports while
// vitest's gives exports.default. require() gives the same thing in both.
const requireCjs = createRequire(import.meta.url);
const startSesServer = (requireCjs('aws-ses-v2-local') as { default: typeof sesLocal.default }).default;

/**
 * The package's store module. Its handlers call `store_1.saveEmail(…)` and
 * `store_1.clearStore()` through this exports object at each call, so replacing those two
 * properties sees every message sent and every clear.
 */
interface StoreModule {
  saveEmail: (email: Email) => void;
  clearStore: () => void;
  getStoreReadonly: () => { emails: Email[] };
}
const storeModule = requireCjs('aws-ses-v2-local/dist/store.js') as StoreModule;
const originalSave = storeModule.saveEmail;
const originalClear = storeModule.clearStore;
/** Where sent mail is appended, while a started server has a storeFile. */
let storeFile: string | undefined;
storeModule.saveEmail = (email) => {
  // Before the message is in the store (and so before SES answers): on disk first.
  if (storeFile !== undefined) appendLine(storeFile, email);
  originalSave(email);
};
storeModule.clearStore = () => {
  if (storeFile !== undefined) writeFileSync(storeFile, '');
  originalClear();
};

/** Loads the messages of `file` that the in-memory store does not hold yet (oldest first). */
function loadStore(file: string): number {
  ensureDir(dirname(file));
  repairTail(file);
  const emails = storeModule.getStoreReadonly().emails;
  const known = new Set(emails.map((email) => email.messageId));
  let loaded = 0;
  for (const email of readLines(file) as Email[]) {
    if (typeof email?.messageId !== 'string' || known.has(email.messageId)) continue;
    emails.push(email);
    known.add(email.messageId);
    loaded += 1;
  }
  emails.sort((a, b) => a.at - b.at);
  return loaded;
}

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
  /** Keeps sent mail in this JSON-lines file (created if missing) and loads it on start. */
  storeFile?: string;
  log: Log;
}

export async function startSesLocal(options: SesLocalOptions): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1';
  if (options.storeFile !== undefined) {
    const loaded = loadStore(options.storeFile);
    if (loaded > 0) options.log.info(`${loaded} sent emails loaded from ${options.storeFile}`);
  }
  const server: Server = await startSesServer({ host, port: options.port });
  // It resolves even when listen failed (Express hands the error to its callback, which ignores
  // it), leaving a server that listens nowhere.
  if (!server.listening) {
    throw new StartupError(
      `Port ${options.port} is in use, so aws-ses-v2-local cannot listen there: pass --ses-port <port>.`,
    );
  }
  if (options.storeFile !== undefined) storeFile = options.storeFile;
  const port = boundPort(server);
  const endpoint = `http://${host}:${port}`;
  options.log.info(`aws-ses-v2-local on ${endpoint} (inbox at ${endpoint}/)`);
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    port,
    stop: () =>
      new Promise<void>((resolveClose, reject) => {
        if (storeFile === options.storeFile) storeFile = undefined;
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}
