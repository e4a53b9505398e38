import { type DetailArgs, type FindingCode, messageFor } from './messages.ts';
import type { Finding, InspectionFacts } from './types.ts';

/** Collects findings (the first of each code wins; repeats add nothing) and facts. */
export class Report {
  readonly findings: Finding[] = [];
  readonly facts: InspectionFacts = {};

  add<C extends FindingCode>(code: C, ...[detail]: DetailArgs<C>): void {
    if (this.has(code)) return;
    this.findings.push(
      detail === undefined ? { code, message: messageFor(code) } : { code, message: messageFor(code, detail), detail },
    );
  }

  has(code: FindingCode): boolean {
    return this.findings.some((f) => f.code === code);
  }
}
