import { type DetailArgs, type FindingCode, messageFor } from './messages.ts';
import type { Finding, InspectionFacts } from './types.ts';

/** Most warnings one file may carry (one per distinct detail): enough for a reviewer to see the pattern. */
const MAX_WARNINGS = 10;

/**
 * Collects findings (the first of each code wins; repeats add nothing), warnings (notes that do
 * not refuse the file, one per distinct detail, at most MAX_WARNINGS) and facts.
 */
export class Report {
  readonly findings: Finding[] = [];
  readonly warnings: Finding[] = [];
  readonly facts: InspectionFacts = {};

  add<C extends FindingCode>(code: C, ...[detail]: DetailArgs<C>): void {
    if (this.has(code)) return;
    this.findings.push(
      detail === undefined ? { code, message: messageFor(code) } : { code, message: messageFor(code, detail), detail },
    );
  }

  warn<C extends FindingCode>(code: C, ...[detail]: DetailArgs<C>): void {
    if (this.warnings.length >= MAX_WARNINGS) return;
    const key = JSON.stringify(detail ?? {});
    if (this.warnings.some((w) => w.code === code && JSON.stringify(w.detail ?? {}) === key)) return;
    this.warnings.push(
      detail === undefined ? { code, message: messageFor(code) } : { code, message: messageFor(code, detail), detail },
    );
  }

  has(code: FindingCode): boolean {
    return this.findings.some((f) => f.code === code);
  }
}
