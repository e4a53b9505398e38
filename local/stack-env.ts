/** The process environment the handlers read: set at start, restored on stop. */

/** Variables that would point the handlers elsewhere than the stand-ins. */
const UNSET_ENV = ['AWS_SESSION_TOKEN', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'];

/** Sets variables (and unsets those that would redirect the SDK); returns the undo. */
export function setProcessEnv(env: Record<string, string>): () => Promise<void> {
  const saved = new Map<string, string | undefined>();
  for (const name of [...Object.keys(env), ...UNSET_ENV]) saved.set(name, process.env[name]);
  for (const name of UNSET_ENV) delete process.env[name];
  Object.assign(process.env, env);
  return async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
