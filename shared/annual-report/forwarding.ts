/**
 * A province's set for one reporting year, and its forwarding to MIIT.
 *
 * The set is the register's duties (./cycle.ts) matched with the reports filed. Forwarding is
 * refused (409) while a report waits for the province's own decision — that review is the
 * province's work and is in its hands. A report the county never filed, or did not re-file after a
 * return, does not hold the set back: the province's deadline is its own, and one late county
 * must not make a whole province late. Those are forwarded as missing, listed by name in the
 * forwarding and the summary table, so MIIT sees exactly what did not come and why.
 */
import * as z from 'zod';
import type { RegisterEntry } from '../register/entry.ts';
import { DivisionCodeSchema, IsoDateTimeSchema } from '../schemas/common.ts';
import type { AnnualReportRecord } from './report.ts';

/** Why a cluster's report is missing from a forwarded set. */
export const MissingWhySchema = z.enum(['not-filed', 'returned']);
export type MissingWhy = z.infer<typeof MissingWhySchema>;

const ListedSchema = z.object({
  entryId: z.string().min(1),
  clusterName: z.string().min(1),
  countyCode: DivisionCodeSchema,
});

export const AnnualForwardingSchema = z.object({
  reportYear: z.int(),
  provinceCode: DivisionCodeSchema,
  forwardedAt: IsoDateTimeSchema,
  forwardedBy: z.string().min(1),
  /** Clusters that owed a report when the set was forwarded. */
  owed: z.int().nonnegative(),
  /** The accepted reports forwarded, each at the revision forwarded. */
  reports: z.array(ListedSchema.extend({ revision: z.int().nonnegative() })),
  missing: z.array(ListedSchema.extend({ why: MissingWhySchema })),
});
export type AnnualForwarding = z.infer<typeof AnnualForwardingSchema>;

/** Where each cluster owing a report stands. */
export type DutyStanding = 'due' | 'filed' | 'accepted' | 'returned';

export interface DutyRow {
  entry: Pick<RegisterEntry, 'entryId' | 'clusterName' | 'countyCode' | 'provinceCode' | 'level' | 'cohort' | 'state'>;
  report?: AnnualReportRecord;
  standing: DutyStanding;
}

const STANDING: Readonly<Record<AnnualReportRecord['state'], DutyStanding>> = {
  FILED: 'filed',
  ACCEPTED: 'accepted',
  RETURNED: 'returned',
};

/** The duties matched with the reports (a report of an entry that no longer owes one is not shown). */
export function dutyRows(duties: readonly DutyRow['entry'][], reports: readonly AnnualReportRecord[]): DutyRow[] {
  const byEntry = new Map(reports.map((report) => [report.entryId, report]));
  return duties.map((owing) => {
    // What a row shows of the entry (the API's answer names these fields only).
    const { entryId, clusterName, countyCode, provinceCode, level, cohort, state } = owing;
    const entry = { entryId, clusterName, countyCode, provinceCode, level, cohort, state };
    const report = byEntry.get(entry.entryId);
    return report ? { entry, report, standing: STANDING[report.state] } : { entry, standing: 'due' };
  });
}

const missingWhy = (row: DutyRow): MissingWhy => (row.standing === 'due' ? 'not-filed' : 'returned');

/** The set as it would be forwarded now: accepted reports, missing ones, and those still to review. */
export function planForwarding(rows: readonly DutyRow[]) {
  const listed = (row: DutyRow) => ({
    entryId: row.entry.entryId,
    clusterName: row.entry.clusterName,
    countyCode: row.entry.countyCode,
  });
  return {
    reports: rows
      .filter((row) => row.standing === 'accepted')
      .map((row) => ({ ...listed(row), revision: row.report?.revision ?? 0 })),
    missing: rows
      .filter((row) => row.standing === 'due' || row.standing === 'returned')
      .map((row) => ({ ...listed(row), why: missingWhy(row) })),
    unreviewed: rows.filter((row) => row.standing === 'filed').map(listed),
  };
}
