/**
 * The annual report's reminders (the sweeper sends them, shared/operations/sweeper.ts): before the
 * province's deadline, at each threshold of the rules (30, 7 and 1 days by default), to every
 * county with a cluster whose report is due or returned, and to every province that has not yet
 * forwarded its set. Each goes once per place, year and threshold through the reminder ledger;
 * nothing goes to a province once it has forwarded, nor to a county whose reports are all filed.
 */
import { createHash } from 'node:crypto';
import type { Email } from '../ports/core.ts';
import { beijingTime, timeLeft } from '../platform/time.ts';
import { placeName } from '../rules/jurisdictions.ts';
import type { RegisterEntry } from '../register/entry.ts';
import { dutiesOf } from './cycle.ts';
import { dutyRows } from './forwarding.ts';
import type { ProvinceYear } from '../ports/annual-reports.ts';

/**
 * The reminder ledger keeps its markers in an application-shaped partition (a UUID): one stable
 * UUID per place and reporting year stands for it, derived from both (RFC 9562 version 8).
 */
export function annualReminderId(reportYear: number, code: string): string {
  const hex = createHash('sha256').update(`annual-report#${reportYear}#${code}`).digest('hex').slice(0, 32);
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface AnnualReminderTarget {
  /** A county with reports to file, or a province with a set to forward. */
  kind: 'county' | 'province';
  code: string;
  /** The clusters concerned (their names go in the email). */
  clusters: string[];
}

/** Who is reminded for one province's year: its counties with reports due or returned, and the province itself. */
export function annualReminderTargets(
  provinceCode: string,
  entries: readonly RegisterEntry[],
  year: ProvinceYear,
  reportYear: number,
): AnnualReminderTarget[] {
  if (year.forwarding) return [];
  const rows = dutyRows(dutiesOf(entries, reportYear), year.reports);
  if (rows.length === 0) return [];
  const byCounty = new Map<string, string[]>();
  for (const row of rows.filter((r) => r.standing === 'due' || r.standing === 'returned')) {
    byCounty.set(row.entry.countyCode, [...(byCounty.get(row.entry.countyCode) ?? []), row.entry.clusterName]);
  }
  return [
    ...[...byCounty].map(([code, clusters]): AnnualReminderTarget => ({ kind: 'county', code, clusters })),
    { kind: 'province', code: provinceCode, clusters: rows.map((row) => row.entry.clusterName) },
  ];
}

/** The reminder email: what is due by when, and the page to do it on. */
export function annualReminderEmail(
  target: AnnualReminderTarget,
  input: { reportYear: number; deadline: string; now: string; pageUrl: string },
  to: string[],
): Email {
  const due = beijingTime(input.deadline);
  const left = timeLeft(input.deadline, input.now);
  const place = placeName(target.code) ?? target.code;
  const county = target.kind === 'county';
  const task = county
    ? {
        zh: `请报送以下集群${input.reportYear}年度报告（填写数据并上传报告文件）：${target.clusters.join('、')}。`,
        en: `Please file the ${input.reportYear} annual report of: ${target.clusters.join(', ')} (the figures and the report file).`,
      }
    : {
        zh: `请审核本省集群${input.reportYear}年度报告，并在截止前报送工业和信息化部（共${target.clusters.length}个集群）。`,
        en: `Please review your clusters' ${input.reportYear} annual reports and forward the set to MIIT before the deadline (${target.clusters.length} clusters).`,
      };
  return {
    to,
    subject: `【中小企业特色产业集群】${place}：${input.reportYear}年度报告（${left.zh}） / Annual reports due (${left.en})`,
    text: [
      place,
      task.zh,
      `省级报送工业和信息化部截止时间：${due.zh}（${left.zh}），逾期不予受理。`,
      input.pageUrl,
      '',
      '——',
      '',
      task.en,
      `The province's deadline to MIIT: ${due.en} (${left.en}); late reports are not accepted.`,
      '',
      '本邮件由系统自动发送。 / This email was sent automatically.',
    ].join('\n'),
  };
}
