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

export interface FileRemoval {
  file: AnnualReportFile;
  removedAt: string;
  removedBy: string;
  report?: { next: AnnualReportRecord; expectedRevision: number };
}

/** The report files' objects in the bucket: the county's removal deletes one (a versioned delete). */
export interface AnnualReportObjects {
  /** Deletes the object; a key already gone is no error. */
  remove(objectKey: string): Promise<void>;
}

export interface AnnualReportStore {
  /** The province's reports, uploads and forwarding for the year (one strongly consistent read). */
  provinceYear(provinceCode: string, reportYear: number): Promise<ProvinceYear>;
  getReport(provinceCode: string, reportYear: number, entryId: string): Promise<AnnualReportRecord | undefined>;
  /**
   * Writes the report if it is still at `expectedRevision` (undefined: if there is none yet), the
   * upload it carries is not removed and the province has not forwarded; false when someone
   * changed it first, the upload went or the set went.
   */
  saveReport(report: AnnualReportRecord, expectedRevision: number | undefined): Promise<boolean>;
  /** Writes a PENDING upload (a conditional create). */
  createFile(file: AnnualReportFile): Promise<boolean>;
  getFile(provinceCode: string, reportYear: number, fileId: string): Promise<AnnualReportFile | undefined>;
  /** Records the validator's verdict once (conditional on no verdict yet and on the upload not removed). */
  recordFileValidation(file: AnnualReportFile): Promise<boolean>;
  /**
   * Marks the upload removed (its item kept as a tombstone, which provinceYear no longer lists)
   * if it is as read (not removed, the same status), the cluster's report is as read (`report`:
   * written with the removal in its history, at `expectedRevision`; undefined: there is none) and
   * the province has not forwarded; false when any of them changed first.
   */
  removeFile(removal: FileRemoval): Promise<boolean>;
  /**
   * Writes the forwarding once, if no report changed since the set was read at `version`: false
   * when the province forwarded already or a report changed meanwhile.
   */
  forward(forwarding: AnnualForwarding, version: number): Promise<boolean>;
  /** Every province's forwarding of the year. */
  forwardings(reportYear: number): Promise<AnnualForwarding[]>;
}
