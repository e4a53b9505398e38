/**
 * An operator imports an official list (CSV or XLSX, the published layout): each row is read,
 * validated and placed in a county; each valid row becomes a register entry unless its natural
 * key is there already. The answer is a report naming every refused row, column and reason. The
 * same file imported twice creates nothing the second time (conditional writes on the natural key).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../ports/core.ts';
import type { AddOutcome, RegisterStore } from '../ports/register.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { ValidationError } from '../platform/errors.ts';
import { matchCounty } from './county-match.ts';
import { type ImportReport, ImportRequestSchema, type RowRefusal } from './api-schemas.ts';
import { addYearsToDate, type RegisterEntry, registerEntryId } from './entry.ts';
import { columnTitle, LIST_LIMITS, type ListField } from './list-layout.ts';
import { parseListRows } from './rows.ts';
import { rowRefusal } from './refusal.ts';
import { formatOfFileName, readSheet } from './sheet.ts';

export interface ImportDeps {
  register: Pick<RegisterStore, 'add' | 'get'>;
  clock: Clock;
  /** Whether the importer may enter rows of this province (default: every province). */
  inScope?: (provinceCode: string) => boolean;
}

/**
 * The history's reason for an imported row, in both languages as the register's other reasons are
 * (a page shows its own half: oneLanguage). The file's name, often Chinese, stays in the Chinese
 * half only: oneLanguage keeps a message whole when its English half has Chinese in it, and the
 * entry's source names the file for every reader anyway.
 */
function importReason(request: { level: 'national' | 'provincial'; cohort: number; fileName: string }, row: number) {
  const zh = `${String(request.cohort)} 年${request.level === 'national' ? '国家级' : '省级'}名单导入（${request.fileName} 第 ${String(row)} 行）`;
  const en = `imported from the ${String(request.cohort)} ${request.level} list (row ${String(row)})`;
  return `${zh} / ${en}`;
}

/** Same bytes, same id: the entries of a re-import name the import that first wrote them. */
const importIdOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

const COUNTY_FIELD_COLUMN: Record<'province' | 'countyCode' | 'county' | 'clusterName', ListField> = {
  province: 'province',
  countyCode: 'countyCode',
  county: 'county',
  clusterName: 'clusterName',
};

/** Runs the writes a few at a time: hundreds of conditional puts, without a burst. */
async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let at = 0; at < items.length; at += size) {
    results.push(...(await Promise.all(items.slice(at, at + size).map(run))));
  }
  return results;
}

/** Imports a list; `by` is who imports it (the audit trail of each entry it creates). */
export async function importList(deps: ImportDeps, input: unknown, by: string): Promise<ImportReport> {
  const request = parseOrThrow(ImportRequestSchema, input, 'body');
  const format = request.format ?? formatOfFileName(request.fileName);
  if (!format) {
    throw new ValidationError('Invalid body: format', [
      {
        field: 'body.format',
        code: 'required',
        message:
          '无法识别名单文件的格式，请上传扩展名为.xlsx或.csv的文件 / name the format (csv or xlsx) or give the file that extension',
      },
    ]);
  }
  const bytes = Buffer.from(request.content, 'base64');
  const importId = importIdOf(bytes);
  const parsed = parseListRows(await readSheet(format, bytes));
  if (parsed.rows.length + parsed.refusals.length > LIST_LIMITS.rows) {
    throw new ValidationError('Invalid body: content', [
      {
        field: 'body.content',
        code: 'too_big',
        message: `名单最多${LIST_LIMITS.rows}行，请分成几个文件导入 / a list may have at most ${LIST_LIMITS.rows} rows: split it into several files`,
      },
    ]);
  }
  const refusals: RowRefusal[] = [...parsed.refusals];
  const now = deps.clock().toISOString();
  const validUntil = addYearsToDate(request.validFrom, request.validityYears);
  const firstRowOf = new Map<string, number>();
  const entries: RegisterEntry[] = [];
  for (const row of parsed.rows) {
    const match = matchCounty(row);
    if (!match.ok) {
      refusals.push(
        rowRefusal(
          { row: row.row, column: columnTitle(COUNTY_FIELD_COLUMN[match.field]), code: match.code },
          match.said,
        ),
      );
      continue;
    }
    if (deps.inScope && !deps.inScope(match.provinceCode)) {
      refusals.push(
        rowRefusal(
          { row: row.row, column: columnTitle('province'), code: 'outside_scope' },
          {
            zh: `${row.province}不在导入人的辖区内，请删除这一行，或由该省或全国的运维人员导入`,
            en: `${row.province} is outside the importer's jurisdiction: remove the row, or have that province's or a national operator import it`,
          },
        ),
      );
      continue;
    }
    const entryId = registerEntryId({ ...request, countyCode: match.countyCode, clusterName: row.clusterName });
    const first = firstRowOf.get(entryId);
    if (first !== undefined) {
      refusals.push(
        rowRefusal(
          { row: row.row, column: columnTitle('clusterName'), code: 'duplicate_row' },
          {
            zh: `与第${first}行为同一集群（同一县、同一名称），请删除重复的一行`,
            en: `the same cluster as row ${first} (same county and name): remove the repeated row`,
          },
        ),
      );
      continue;
    }
    firstRowOf.set(entryId, row.row);
    entries.push({
      entryId,
      clusterName: row.clusterName,
      countyCode: match.countyCode,
      provinceCode: match.provinceCode,
      leadingIndustry: row.leadingIndustry,
      subSector: row.subSector,
      level: request.level,
      cohort: request.cohort,
      validFrom: request.validFrom,
      validUntil,
      state: 'valid',
      history: [{ at: now, by, to: 'valid', reason: importReason(request, row.row) }],
      source: { kind: 'import', importId, fileName: request.fileName, row: row.row },
      revision: 0,
      createdAt: now,
      updatedAt: now,
    });
  }
  const outcomes: AddOutcome[] = request.dryRun
    ? await inBatches(entries, 16, async (entry) => ((await deps.register.get(entry.entryId)) ? 'existing' : 'created'))
    : await inBatches(entries, 8, (entry) => deps.register.add(entry));
  refusals.sort((a, b) => a.row - b.row);
  return {
    importId,
    fileName: request.fileName,
    format,
    level: request.level,
    cohort: request.cohort,
    dryRun: request.dryRun,
    ...(parsed.headerRow !== undefined && { headerRow: parsed.headerRow }),
    rows:
      parsed.rows.length + new Set(parsed.refusals.filter((r) => r.row !== parsed.headerRow).map((r) => r.row)).size,
    created: outcomes.filter((o) => o === 'created').length,
    existing: outcomes.filter((o) => o === 'existing').length,
    refused: new Set(refusals.filter((r) => r.row !== parsed.headerRow).map((r) => r.row)).size,
    refusals,
  };
}
