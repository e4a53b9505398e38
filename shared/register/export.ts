/**
 * The register as CSV (what the console's register page shows, with its filters): UTF-8 with a
 * byte-order mark, the headers in Chinese then English, RFC 4180 quoting and formula defusing as
 * the summary tables' CSV (shared/operations/exports/csv.ts).
 */
import { BOM, CSV_CONTENT_TYPE, defuse, quote } from '../operations/exports/csv.ts';
import type { HttpResult } from '../platform/http/respond.ts';
import { contentDisposition } from '../platform/content-disposition.ts';
import { placeName, placePath } from '../rules/jurisdictions.ts';
import type { RegisterView, ShownEntry } from './api-schemas.ts';
import { LEVEL_WORDS, STATE_WORDS } from './words.ts';

const COLUMNS: readonly { zh: string; en: string; value: (e: ShownEntry, at: number) => string }[] = [
  { zh: '序号', en: 'No.', value: (_e, at) => String(at + 1) },
  { zh: '省份', en: 'Province', value: (e) => placeName(e.provinceCode) ?? e.provinceCode },
  { zh: '集群名称', en: 'Cluster', value: (e) => e.clusterName },
  { zh: '所在地', en: 'Where', value: (e) => placePath(e.countyCode) },
  { zh: '区县代码', en: 'County code', value: (e) => e.countyCode },
  { zh: '主导产业', en: 'Leading industry', value: (e) => e.leadingIndustry },
  { zh: '细分领域', en: 'Sub-sector', value: (e) => e.subSector },
  { zh: '级别', en: 'Level', value: (e) => LEVEL_WORDS[e.level].zh },
  { zh: '认定年度', en: 'Cohort', value: (e) => String(e.cohort) },
  { zh: '有效期自', en: 'Valid from', value: (e) => e.validFrom },
  { zh: '有效期至', en: 'Valid until', value: (e) => e.validUntil },
  { zh: '状态', en: 'State', value: (e) => STATE_WORDS[e.state].zh },
];

const line = (fields: readonly string[]) => fields.map((field) => quote(defuse(field))).join(',');

export function registerCsv(view: RegisterView): string {
  const rows = [
    line(COLUMNS.map((c) => c.zh)),
    line(COLUMNS.map((c) => c.en)),
    ...view.entries.map((entry, at) => line(COLUMNS.map((c) => c.value(entry, at)))),
  ];
  return `${BOM}${rows.join('\r\n')}\r\n`;
}

/** The CSV as an attachment: 认定集群名录.csv. */
export function registerCsvFile(view: RegisterView): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': CSV_CONTENT_TYPE,
      'content-disposition': contentDisposition('认定集群名录.csv'),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: registerCsv(view),
  };
}
