import { randomBytes } from 'node:crypto';
import { isObject } from './definition.ts';
import { SfnError } from './errors.ts';
import type { PendingTask } from './types.ts';

/**
 * Task tokens: which callback attempt each open token answers, and which tokens were issued once
 * and are over (answered, timed out, stopped, or spent before a restart), so each API error is
 * the one AWS gives.
 */

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;

/** What an open token leads to: a callback attempt of some execution. */
export interface TokenHolder {
  exec: { arn: string };
  pending?: PendingTask;
}

export class TokenRegistry<Attempt extends TokenHolder> {
  private readonly open = new Map<string, Attempt>();
  private readonly closed = new Set<string>();

  /** `journaled`: whether tokens survive a restart (a dataDir), for TaskDoesNotExist's wording. */
  constructor(private readonly journaled: boolean) {}

  /** A fresh random 64-character token. */
  mint(): string {
    return randomBytes(48).toString('base64url');
  }

  /** The token now answers `attempt`. */
  openFor(token: string, attempt: Attempt): void {
    this.open.set(token, attempt);
  }

  /** The token is over: it answers TaskTimedOut from now on. */
  close(token: string): void {
    this.open.delete(token);
    this.closed.add(token);
  }

  /** The attempt a SendTask* call answers, or AWS's error for that token. */
  attemptOf(taskToken: string): Attempt {
    if (typeof taskToken !== 'string' || !TOKEN_PATTERN.test(taskToken)) {
      throw new SfnError('InvalidToken', 'Invalid Token: the task token is malformed');
    }
    const attempt = this.open.get(taskToken);
    if (attempt) return attempt;
    if (this.closed.has(taskToken)) {
      throw new SfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    throw new SfnError(
      'TaskDoesNotExist',
      this.journaled
        ? 'Task Does Not Exist: this token was not issued by this local runtime (nor by an earlier one on its data dir)'
        : 'Task Does Not Exist: this token was not issued by this local runtime (without a dataDir, tokens live in memory and die with a restart)',
    );
  }

  /** Callback tasks waiting for their token, oldest first (optionally of one execution). */
  pending(executionArn?: string): PendingTask[] {
    return [...this.open.values()]
      .filter((attempt) => executionArn === undefined || attempt.exec.arn === executionArn)
      .flatMap((attempt) => (attempt.pending ? [attempt.pending] : []));
  }
}

/**
 * `value` with every occurrence of `placeholder` (what `$$.Task.Token` resolved to inside the
 * library, also within longer strings such as a States.Format result) replaced by `token`.
 */
export function replacePlaceholder(
  value: unknown,
  placeholder: string,
  token: string,
): { value: unknown; found: boolean } {
  let found = false;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!node.includes(placeholder)) return node;
      found = true;
      return node.replaceAll(placeholder, token);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  const result = walk(value);
  return { value: result, found };
}
