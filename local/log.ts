import { redactSecrets } from '../shared/platform/redact.ts';

/**
 * The local runtime's console output: one prefix per component, info lines muted when quiet, and
 * secrets in URLs (a review link's `t`, sign-in codes) redacted from every line and stack.
 */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function makeLog(component: string, quiet = false): Log {
  const prefix = `[${component}]`;
  return {
    info: (message) => {
      if (!quiet) console.log(prefix, redactSecrets(message));
    },
    warn: (message) => console.warn(prefix, redactSecrets(message)),
    error: (message, error) => {
      if (error === undefined) console.error(prefix, redactSecrets(message));
      else
        console.error(
          prefix,
          redactSecrets(message),
          error instanceof Error ? redactSecrets(error.stack ?? error.message) : error,
        );
    },
  };
}

/** A log that says nothing at all (tests that provoke errors on purpose). */
export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** A failure to start that the user can fix (missing Java, taken port): reported without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Turns "address in use" from listen() into a StartupError naming the service and the flag. */
export function explainListenError(error: unknown, service: string, port: number, flag: string): unknown {
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    return new StartupError(`Port ${port} is in use, so ${service} cannot listen there: pass ${flag} <port>.`);
  }
  return error;
}
