/**
 * The annual-report desk: what the county, the province and MIIT each do with a reporting year's
 * reports. The county asks for an upload link and files its cluster's figures with its latest
 * VALID upload; the province accepts or returns each report (with a reason) and forwards its set
 * to MIIT once, before its deadline (./forwarding.ts says what is forwarded); MIIT sees which
 * provinces have forwarded and what is missing. Who owes a report is read from the register
 * every time (./cycle.ts), so a revoked cluster owes nothing from the moment it is revoked.
 */
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, type ErrorDetail, NotFoundError, ValidationError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { declaredFileProblems, uploadExpiry } from '../intake/evidence.ts';
import type { Clock } from '../ports/core.ts';
import type { UploadSigner } from '../ports/intake.ts';
import type { RegisterStore } from '../ports/register.ts';
import type { AnnualReportObjects, AnnualReportStore } from '../ports/annual-reports.ts';
import { provinceOf, type RegisterEntry } from '../register/entry.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import { FILE_TYPE_BY_MIME, type FileType } from '../schemas/common.ts';
import { type CycleRules, currentReportYear, deadlinePassed, dutiesOf, provinceDeadline } from './cycle.ts';
import { type AnnualForwarding, type DutyRow, dutyRows, planForwarding } from './forwarding.ts';
import { type AnnualFileRemoved, removeReportFile } from './removal.ts';
import {
  type AnnualReportFile,
  type AnnualReportRecord,
  annualReportFileKey,
  fileForFiling,
  FilingBodySchema,
  nextState,
  REPORT_FILE_RULE,
  ReportYearSchema,
  ReviewBodySchema,
  UploadRequestBodySchema,
} from './report.ts';

export interface AnnualReportDeskDeps {
  register: Pick<RegisterStore, 'ofProvince' | 'ofCounty' | 'all'>;
  store: AnnualReportStore;
  uploads: UploadSigner;
  /** The report files' objects: a removed upload's is deleted (./removal.ts). */
  objects: AnnualReportObjects;
  rules: CycleRules;
  clock: Clock;
  newId: () => string;
}

/** The county's view: its clusters owing the year's report, each with its report and uploads. */
export interface CountyView {
  reportYear: number;
  deadline: string;
  closed: boolean;
  forwarded: boolean;
  rows: (DutyRow & { files: AnnualReportFile[] })[];
}

export interface ProvinceView {
  /** The set's version as read (a forwarding is written only over it). */
  version: number;
  reportYear: number;
  provinceCode: string;
  deadline: string;
  closed: boolean;
  rows: DutyRow[];
  forwarding?: AnnualForwarding;
  /** What forwarding now would send (before the province forwards). */
  plan: ReturnType<typeof planForwarding>;
}

export interface MiitProvince {
  provinceCode: string;
  owed: number;
  forwarding?: AnnualForwarding;
}
export interface MiitView {
  reportYear: number;
  deadline: string;
  provinces: MiitProvince[];
}

const actorOf = (p: Principal) => `${p.role}:${p.sub}`;

/** How many tries a conditional write gets when someone else changed the report first. */
const RETRIES = 3;

export class AnnualReportDesk {
  constructor(private readonly deps: AnnualReportDeskDeps) {}

  /** The year asked for, or the one whose deadline comes next. */
  year(input: unknown): number {
    if (input === undefined || input === '') return currentReportYear(this.deps.clock(), this.deps.rules);
    return parseOrThrow(ReportYearSchema, input, 'year');
  }

  deadline(reportYear: number): string {
    return provinceDeadline(reportYear, this.deps.rules);
  }

  private closed(reportYear: number): boolean {
    return deadlinePassed(reportYear, this.deps.clock(), this.deps.rules);
  }

  // ---- the county ------------------------------------------------------------------------------

  async countyView(principal: Principal, reportYear: number): Promise<CountyView> {
    assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
    const county = principal.jurisdiction;
    const duties = dutiesOf(await this.deps.register.ofCounty(county), reportYear);
    const year = await this.deps.store.provinceYear(provinceOf(county), reportYear);
    const own = year.reports.filter((r) => r.countyCode === county);
    return {
      reportYear,
      deadline: this.deadline(reportYear),
      closed: this.closed(reportYear),
      forwarded: year.forwarding !== undefined,
      rows: dutyRows(duties, own).map((row) => ({
        ...row,
        files: year.files
          .filter((f) => f.entryId === row.entry.entryId)
          .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)),
      })),
    };
  }

  /** The county's entry owing the year's report, or 404/409 naming why not. */
  private async owingEntry(principal: Principal, reportYear: number, entryId: string): Promise<RegisterEntry> {
    assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
    const entry = (await this.deps.register.ofCounty(principal.jurisdiction)).find((e) => e.entryId === entryId);
    if (!entry) {
      throw new NotFoundError(`No recognised cluster ${entryId} in ${principal.jurisdiction}`, [
        { field: 'entryId', code: 'NOT_FOUND', message: 'not a recognised cluster of this county' },
      ]);
    }
    if (dutiesOf([entry], reportYear).length === 0) {
      throw new ConflictError('NO_REPORT_OWED', `${entry.clusterName} owes no report on ${reportYear}`, [
        {
          field: 'entryId',
          code: 'NO_REPORT_OWED',
          message: `state ${entry.state}, valid ${entry.validFrom}–${entry.validUntil}`,
        },
      ]);
    }
    return entry;
  }

  /** Filing is open until the deadline and while the province has not forwarded. */
  private async assertOpen(provinceCode: string, reportYear: number): Promise<void> {
    if (this.closed(reportYear)) {
      throw new ConflictError(
        'DEADLINE_PASSED',
        `The reports on ${reportYear} were due by ${this.deadline(reportYear)}`,
        [{ field: 'year', code: 'DEADLINE_PASSED', message: '逾期不予受理 / the deadline has passed' }],
      );
    }
    if ((await this.deps.store.provinceYear(provinceCode, reportYear)).forwarding) {
      throw new ConflictError('FORWARDED', `${provinceCode} has forwarded its reports on ${reportYear}`, [
        { field: 'year', code: 'FORWARDED', message: '省级已报送 / the province has forwarded its set' },
      ]);
    }
  }

  /** An upload link for the report's file: a PENDING upload, checked by the validator. */
  async requestUpload(principal: Principal, reportYear: number, input: unknown) {
    assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
    const body = parseOrThrow(UploadRequestBodySchema, input);
    const entry = await this.owingEntry(principal, reportYear, body.entryId);
    await this.assertOpen(entry.provinceCode, reportYear);
    const problems: ErrorDetail[] = declaredFileProblems(REPORT_FILE_RULE, body, 'the annual report');
    if (problems.length) throw new ValidationError('The file cannot be accepted for the annual report', problems);
    const now = this.deps.clock();
    const fileId = this.deps.newId();
    const objectKey = annualReportFileKey({ provinceCode: entry.provinceCode, reportYear, fileId });
    const { expiresAt, expiresInSeconds } = uploadExpiry(now, this.deadline(reportYear));
    const upload = await this.deps.uploads.presignUpload({
      key: objectKey,
      contentType: body.contentType,
      size: body.size,
      expiresInSeconds,
    });
    const file: AnnualReportFile = {
      fileId,
      reportYear,
      provinceCode: entry.provinceCode,
      entryId: entry.entryId,
      countyCode: entry.countyCode,
      fileName: body.fileName,
      contentType: body.contentType,
      fileType: FILE_TYPE_BY_MIME.get(body.contentType) as FileType,
      declaredSize: body.size,
      ...(body.sha256 !== undefined && { declaredSha256: body.sha256 }),
      maxBytes: REPORT_FILE_RULE.maxBytes,
      objectKey,
      status: 'PENDING',
      requestedBy: actorOf(principal),
      requestedAt: now.toISOString(),
      uploadExpiresAt: expiresAt,
      findings: [],
    };
    if (!(await this.deps.store.createFile(file))) throw new Error(`annual report file ${fileId} exists already`);
    return { ...asUploaderItem(file), upload: { ...upload, expiresAt } };
  }

  /** The county's uploads for the year (all its clusters), as the uploader lists them. */
  async files(principal: Principal, reportYear: number) {
    return (await this.countyView(principal, reportYear)).rows.flatMap((row) => row.files.map(asUploaderItem));
  }

  /** Removes an upload of the county's own that no report carries (./removal.ts says when). */
  async removeFile(principal: Principal, reportYear: number, fileId: string): Promise<AnnualFileRemoved> {
    const { store, objects, clock } = this.deps;
    const assertOpen = (provinceCode: string, year: number) => this.assertOpen(provinceCode, year);
    return removeReportFile({ store, objects, clock, assertOpen }, principal, reportYear, fileId);
  }

  /** Files (or re-files) the report: the figures and the latest VALID upload for the cluster. */
  async file(principal: Principal, reportYear: number, input: unknown): Promise<AnnualReportRecord> {
    assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
    const body = parseOrThrow(FilingBodySchema, input);
    const entry = await this.owingEntry(principal, reportYear, body.entryId);
    await this.assertOpen(entry.provinceCode, reportYear);
    const by = actorOf(principal);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      // Read again on every try: a removal that won the race took its upload, and the filing
      // takes the latest VALID one still there (or says none is).
      const year = await this.deps.store.provinceYear(entry.provinceCode, reportYear);
      const upload = fileForFiling(year.files.filter((f) => f.entryId === entry.entryId));
      if (!upload?.sha256) {
        throw new ConflictError('FILE_MISSING', 'The report needs its file, uploaded and checked VALID, first', [
          {
            field: 'file',
            code: 'FILE_MISSING',
            message: '请先上传年度报告文件并等待校验通过 / upload the report file first',
          },
        ]);
      }
      const at = this.deps.clock().toISOString();
      const current = await this.deps.store.getReport(entry.provinceCode, reportYear, entry.entryId);
      const state = nextState(current?.state, 'filed');
      const report: AnnualReportRecord = {
        reportYear,
        provinceCode: entry.provinceCode,
        entryId: entry.entryId,
        countyCode: entry.countyCode,
        clusterName: entry.clusterName,
        state,
        figures: body.figures,
        file: { fileId: upload.fileId, fileName: upload.fileName, sha256: upload.sha256, objectKey: upload.objectKey },
        round: current ? current.round + (current.state === 'RETURNED' ? 1 : 0) : 1,
        filedBy: by,
        filedAt: at,
        ...(current?.returnReason !== undefined && { returnReason: current.returnReason }),
        history: [...(current?.history ?? []), { at, by, action: 'filed' }],
        revision: (current?.revision ?? -1) + 1,
      };
      if (await this.deps.store.saveReport(report, current?.revision)) return report;
    }
    throw new ConflictError('CHANGED', 'The report changed while it was being filed; try again');
  }

  // ---- the province ----------------------------------------------------------------------------

  /** The province a signed-in person acts for: its own (a province's reviewers and operators), or the one MIIT asks for. */
  private provinceOfCaller(principal: Principal, asked?: string): string {
    if (principal.jurisdiction === MIIT_CODE) {
      assertAllowed(may.seeAnnualReports(principal, MIIT_CODE), 'seeAnnualReports', principal);
      if (!asked) {
        throw new ValidationError('Name the province', [
          { field: 'province', code: 'REQUIRED', message: 'the province (GB/T 2260, xx0000) whose reports to show' },
        ]);
      }
      return asked;
    }
    const own = principal.jurisdiction;
    assertAllowed(may.seeAnnualReports(principal, own) && provinceOf(own) === own, 'seeAnnualReports', principal);
    return own;
  }

  async provinceView(principal: Principal, reportYear: number, asked?: string): Promise<ProvinceView> {
    const provinceCode = this.provinceOfCaller(principal, asked);
    const [entries, year] = await Promise.all([
      this.deps.register.ofProvince(provinceCode),
      this.deps.store.provinceYear(provinceCode, reportYear),
    ]);
    const rows = dutyRows(dutiesOf(entries, reportYear), year.reports);
    return {
      version: year.version,
      reportYear,
      provinceCode,
      deadline: this.deadline(reportYear),
      closed: this.closed(reportYear),
      rows,
      ...(year.forwarding && { forwarding: year.forwarding }),
      plan: planForwarding(rows),
    };
  }

  /** Accepts a filed report, or returns it to the county with the reason. */
  async review(principal: Principal, reportYear: number, input: unknown): Promise<AnnualReportRecord> {
    const provinceCode = principal.jurisdiction;
    assertAllowed(may.reviewAnnualReports(principal, provinceCode), 'reviewAnnualReports', principal);
    const body = parseOrThrow(ReviewBodySchema, input);
    await this.assertOpen(provinceCode, reportYear);
    const action = body.decision === 'accept' ? 'accepted' : 'returned';
    const by = actorOf(principal);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const current = await this.deps.store.getReport(provinceCode, reportYear, body.entryId);
      if (!current) {
        throw new NotFoundError(`No report of ${body.entryId} on ${reportYear} in ${provinceCode}`, [
          { field: 'entryId', code: 'NOT_FILED', message: 'the county has not filed this report' },
        ]);
      }
      const at = this.deps.clock().toISOString();
      const reason = action === 'returned' ? body.reason : undefined;
      const report: AnnualReportRecord = {
        ...current,
        state: nextState(current.state, action),
        ...(reason !== undefined && { returnReason: reason }),
        decidedBy: by,
        decidedAt: at,
        history: [...current.history, { at, by, action, ...(reason !== undefined && { reason }) }],
        revision: current.revision + 1,
      };
      if (await this.deps.store.saveReport(report, current.revision)) return report;
    }
    throw new ConflictError('CHANGED', 'The report changed while it was being decided; try again');
  }

  /**
   * Forwards the province's set to MIIT, once and before the deadline: 409 while a report waits
   * for the province's decision; the missing ones are forwarded as missing (./forwarding.ts).
   */
  async forward(principal: Principal, reportYear: number): Promise<AnnualForwarding> {
    const provinceCode = principal.jurisdiction;
    assertAllowed(may.reviewAnnualReports(principal, provinceCode), 'reviewAnnualReports', principal);
    const view = await this.provinceView(principal, reportYear);
    if (view.forwarding) {
      throw new ConflictError(
        'ALREADY_FORWARDED',
        `${provinceCode} forwarded its reports on ${reportYear} at ${view.forwarding.forwardedAt}`,
      );
    }
    if (view.closed) {
      throw new ConflictError('DEADLINE_PASSED', `The reports on ${reportYear} were due at MIIT by ${view.deadline}`, [
        { field: 'year', code: 'DEADLINE_PASSED', message: '逾期不予受理 / the deadline has passed' },
      ]);
    }
    if (view.plan.unreviewed.length > 0) {
      throw new ConflictError(
        'REPORTS_UNREVIEWED',
        `${view.plan.unreviewed.length} filed report(s) wait for the province's decision`,
        view.plan.unreviewed.map((r) => ({
          field: 'entryId',
          code: 'UNREVIEWED',
          message: `${r.clusterName} (${r.countyCode}): 待审核 / accept or return it first`,
        })),
      );
    }
    const forwarding: AnnualForwarding = {
      reportYear,
      provinceCode,
      forwardedAt: this.deps.clock().toISOString(),
      forwardedBy: actorOf(principal),
      owed: view.rows.length,
      reports: view.plan.reports,
      missing: view.plan.missing,
    };
    if (!(await this.deps.store.forward(forwarding, view.version))) {
      throw new ConflictError(
        'CHANGED',
        `A report of ${provinceCode} changed, or the set was forwarded, meanwhile; look again`,
      );
    }
    return forwarding;
  }

  // ---- MIIT ------------------------------------------------------------------------------------

  /** Every province owing reports (or having forwarded), with its forwarding and what is missing. */
  async miitView(principal: Principal, reportYear: number): Promise<MiitView> {
    assertAllowed(
      may.seeAnnualReports(principal, MIIT_CODE) && principal.jurisdiction === MIIT_CODE,
      'seeAnnualReports',
      principal,
    );
    const [entries, forwardings] = await Promise.all([
      this.deps.register.all(),
      this.deps.store.forwardings(reportYear),
    ]);
    const owed = new Map<string, number>();
    for (const entry of dutiesOf(entries, reportYear))
      owed.set(entry.provinceCode, (owed.get(entry.provinceCode) ?? 0) + 1);
    const byProvince = new Map(forwardings.map((f) => [f.provinceCode, f]));
    const codes = [...new Set([...owed.keys(), ...byProvince.keys()])].sort();
    return {
      reportYear,
      deadline: this.deadline(reportYear),
      provinces: codes.map((provinceCode) => {
        const forwarding = byProvince.get(provinceCode);
        return {
          provinceCode,
          owed: forwarding?.owed ?? owed.get(provinceCode) ?? 0,
          ...(forwarding && { forwarding }),
        };
      }),
    };
  }
}

/** An upload as the API answers it, with the evidence uploader's names (`evidenceId`, `criterion`). */
export const asUploaderItem = (file: AnnualReportFile) => ({
  ...file,
  evidenceId: file.fileId,
  criterion: file.entryId,
});
