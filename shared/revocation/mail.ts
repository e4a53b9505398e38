import type { Email } from '../ports/core.ts';
import { placeName } from '../rules/jurisdictions.ts';
import type { RevocationRequest } from './request.ts';

/** The county's email once a recognised cluster is revoked: bilingual, naming the reason and who confirmed it. */
export function revokedEmail(request: RevocationRequest, to: string, confirmedBy: string): Email {
  const county = placeName(request.countyCode) ?? request.countyCode;
  const confirmer = placeName(request.decidedBy?.jurisdiction) ?? confirmedBy;
  const zh = [
    `${county}：`,
    `经查实“${request.clusterName}”申报材料存在虚假信息，依据“一经查实，立即取消其资格”，该集群的认定资格已被撤销。`,
    `原因：${request.reason}`,
    `确认单位：${confirmer}（申请编号 ${request.requestId}）`,
    '该集群已移出有效名单，不再报送年度发展情况。',
  ];
  const en = [
    `To ${county}:`,
    `False information was confirmed in the application of "${request.clusterName}": its recognition is revoked.`,
    `Reason: ${request.reason}`,
    `Confirmed by: ${confirmer} (request ${request.requestId})`,
    'The cluster leaves the list of valid recognitions and owes no further annual report.',
  ];
  return {
    to: [to],
    subject: `认定资格撤销通知 / Recognition revoked: ${request.clusterName}`,
    text: `${zh.join('\n')}\n\n${en.join('\n')}\n`,
    purpose: `revocation/${request.requestId}`,
  };
}
