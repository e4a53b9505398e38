import { ConflictError } from '../platform/errors.ts';
import type { QuotaScope } from '../ports/quotas.ts';

/** 409 with the numbers: "8 of 8 used" — a reviewer's decision is refused, never dropped. */
export class QuotaExceededError extends ConflictError {
  constructor(
    readonly scope: QuotaScope,
    readonly jurisdictionCode: string,
    readonly used: number,
    readonly limit: number,
  ) {
    super('QUOTA_EXCEEDED', `${used} of ${limit} used: the ${scope} quota of ${jurisdictionCode} is full`, [
      {
        field: 'decision',
        code: 'QUOTA_EXCEEDED',
        message: `名额已满（已用 ${used}/${limit}） / quota full (${used} of ${limit} used)`,
        scope,
        jurisdictionCode,
        used,
        limit,
      },
    ]);
  }
}
