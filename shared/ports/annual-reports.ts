import type { AnnualForwarding } from '../annual-report/forwarding.ts';
import type { AnnualReportFile, AnnualReportRecord } from '../annual-report/report.ts';

/*
 * What the annual-report cycle needs from the world: one province's reports, uploads and
 * forwarding for a reporting year, and every province's forwarding of a year (MIIT's view).
 * shared/adapters/dynamo-annual-reports.ts implements it.
 */

export interface ProvinceYear {
  reports: AnnualReportRecord[];
  files: AnnualReportFile[];
  forwarding?: AnnualForwarding;
  /** Moves with every report change: a forwarding is written only over the set it was planned from. */
  version: number;
}

export interface AnnualReportStore {
  /** The province's reports, uploads and forwarding for the year (one strongly consistent read). */
  provinceYear(provinceCode: string, reportYear: number): Promise<ProvinceYear>;
  getReport(provinceCode: string, reportYear: number, entryId: string): Promise<AnnualReportRecord | undefined>;
  /**
   * Writes the report if it is still at `expectedRevision` (undefined: if there is none yet) and
   * the province has not forwarded; false when someone changed it first or the set went.
   */
  saveReport(report: AnnualReportRecord, expectedRevision: number | undefined): Promise<boolean>;
  /** Writes a PENDING upload (a conditional create). */
  createFile(file: AnnualReportFile): Promise<boolean>;
  getFile(provinceCode: string, reportYear: number, fileId: string): Promise<AnnualReportFile | undefined>;
  /** Records the validator's verdict once (conditional on no verdict yet). */
  recordFileValidation(file: AnnualReportFile): Promise<boolean>;
  /**
   * Writes the forwarding once, if no report changed since the set was read at `version`: false
   * when the province forwarded already or a report changed meanwhile.
   */
  forward(forwarding: AnnualForwarding, version: number): Promise<boolean>;
  /** Every province's forwarding of the year. */
  forwardings(reportYear: number): Promise<AnnualForwarding[]>;
}
