import { describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/platform/http/handler.ts';
import { redactSecrets, redactUrl } from '../../../shared/platform/redact.ts';

const SECRET = 'q7XkP2vN9sLm4RtY8wZc3Hb6JdFg1AeU';

describe('redaction of secrets in URLs', () => {
  it('replaces the review link secret, sign-in codes and verifiers, keeping the rest', () => {
    expect(redactSecrets(`GET /v1/reviews/r-1?t=${SECRET}&lang=en failed`)).toBe(
      'GET /v1/reviews/r-1?t=…&lang=en failed',
    );
    expect(redactSecrets(`/console/callback?code=${SECRET}&state=${SECRET}`)).toBe('/console/callback?code=…&state=…');
    expect(redactSecrets(`code_verifier=${SECRET}`)).toBe('code_verifier=…');
    expect(redactSecrets('/v1/campaigns?status=open&at=2025')).toBe('/v1/campaigns?status=open&at=2025');
  });

  it('shows a request target as its path only', () => {
    expect(redactUrl(`/v1/reviews/r-1?t=${SECRET}`)).toBe('/v1/reviews/r-1?…');
    expect(redactUrl('/v1/campaigns')).toBe('/v1/campaigns');
  });

  it("is applied by the handlers' logger to every string it writes, error stacks included", () => {
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    // The tests run the loggers SILENT (vitest.config.ts): let this one line through.
    const level = logger.getLevelName();
    logger.setLogLevel('ERROR');
    try {
      logger.error('request failed', new Error(`fetch http://127.0.0.1:3000/v1/reviews/r-1?t=${SECRET} was aborted`));
    } finally {
      logger.setLogLevel(level);
      out.mockRestore();
      err.mockRestore();
    }
    const line = written.join('');
    expect(line).toContain('request failed');
    expect(line).toContain('t=…');
    expect(line).not.toContain(SECRET);
  });
});
