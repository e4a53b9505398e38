/** The revocation pages' words, Chinese and English (the shared vocabulary is platform/words.ts). */
import type { Bilingual } from '../schemas/common.ts';
import type { RevocationState } from './request.ts';

export const REVOCATION_WORDS = {
  title: { zh: '取消资格申请（虚假信息）', en: 'Cancellation for false information' },
  note: {
    zh: '申报材料经查实存在虚假信息的，一经查实，立即取消其资格，包括认定之后。由发现问题的审核单位提出申请，本级或上级运维人员（或工业和信息化部）确认；申请人不能确认本人的申请。',
    en: 'False information, once confirmed, cancels a qualification at any stage, after recognition included. The reviewer who found it asks; an operator over that level (or MIIT) confirms. The requester cannot confirm their own request.',
  },
  fileTitle: { zh: '提出取消资格申请', en: 'Ask for a cancellation' },
  targetKind: { zh: '对象', en: 'About' },
  kindApplication: { zh: '申报（申报编号）', en: 'An application (its id)' },
  kindEntry: { zh: '认定名录条目（条目编号）', en: 'A register entry (its id)' },
  targetId: { zh: '编号', en: 'Id' },
  reason: { zh: '查实的虚假信息', en: 'The false information found' },
  evidenceNote: { zh: '证据说明（可选）', en: 'Evidence note (optional)' },
  send: { zh: '提交申请', en: 'Send the request' },
  none: { zh: '暂无取消资格申请', en: 'No cancellation request' },
  state: { zh: '状态', en: 'State' },
  phase: { zh: '阶段', en: 'Stage' },
  inFlight: { zh: '审核中', en: 'In flight' },
  recognised: { zh: '已认定', en: 'Recognised' },
  requestedBy: { zh: '申请人', en: 'Requested by' },
  decidedBy: { zh: '处理人', en: 'Decided by' },
  declineReason: { zh: '不予确认理由', en: 'Reason for declining' },
  effect: { zh: '处理结果', en: 'Effect' },
  effectCancelled: { zh: '申报已取消', en: 'Application cancelled' },
  effectRevoked: { zh: '认定已撤销', en: 'Recognition revoked' },
  countyTold: { zh: '已邮件通知县（市、区）', en: 'county emailed' },
  countyNotTold: { zh: '未发送邮件（无联系邮箱）', en: 'no email sent (no address on file)' },
  decision: { zh: '处理', en: 'Decision' },
  confirm: { zh: '确认取消资格', en: 'Confirm the cancellation' },
  decline: { zh: '不予确认', en: 'Decline' },
  decisionReason: { zh: '理由（不予确认时必填）', en: 'Reason (required to decline)' },
  decide: { zh: '提交', en: 'Submit' },
  ownRequest: { zh: '本人提出的申请，须由他人确认', en: 'Your own request: someone else decides it' },
  done: { zh: '已处理：', en: 'Recorded:' },
  filed: { zh: '申请已提交，等待确认。', en: 'Request filed, waiting for confirmation.' },
} as const satisfies Record<string, Bilingual>;

export const REQUEST_STATE_WORDS: Readonly<Record<RevocationState, Bilingual>> = {
  requested: { zh: '待确认', en: 'Requested' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  declined: { zh: '不予确认', en: 'Declined' },
};
