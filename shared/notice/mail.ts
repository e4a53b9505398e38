import type { Email } from '../ports/core.ts';
import { beijingTime } from '../platform/time.ts';
import type { ObjectionRecord } from '../schemas/reviews.ts';

/** The objector's email once the level holding the notice has decided: bilingual, with the receipt's status link. */
export function outcomeEmail(
  objection: ObjectionRecord,
  context: { clusterName: string; holder: string; baseUrl: string; to: string },
): Email {
  const upheld = objection.outcome === 'upheld';
  const statusUrl = `${context.baseUrl.replace(/\/+$/, '')}/notice/status?receipt=${objection.objectionId}`;
  const filed = beijingTime(objection.filedAt);
  const zh = [
    `您于 ${filed.zh} 对“${context.clusterName}”公示提出的异议（回执号 ${objection.objectionId}），${context.holder}已处理：`,
    upheld ? '异议成立。该申报将在公示期结束后退回本级重新审核。' : '异议不予采纳。',
    ...(objection.resolution ? [`说明：${objection.resolution}`] : []),
    `查询处理结果：${statusUrl}`,
  ];
  const en = [
    `Your objection of ${filed.en} to the public notice of "${context.clusterName}" (receipt ${objection.objectionId}) has been decided by ${context.holder}:`,
    upheld
      ? 'The objection is upheld. The application goes back to that level for review when the notice closes.'
      : 'The objection is dismissed.',
    ...(objection.resolution ? [`Reason: ${objection.resolution}`] : []),
    `Status: ${statusUrl}`,
  ];
  return {
    to: [context.to],
    subject: `公示异议处理结果 / Outcome of your objection: ${context.clusterName}`,
    text: `${zh.join('\n')}\n\n${en.join('\n')}\n`,
  };
}
