import type { ChecklistItem } from '../rules/checklist.ts';
import type { EvidenceRecord } from '../schemas/records.ts';

export type ChecklistProblem = 'MISSING' | 'PENDING' | 'INVALID' | 'TOO_MANY_FILES';

export interface ChecklistItemStatus {
  id: string;
  title: ChecklistItem['title'];
  required: boolean;
  fileTypes: ChecklistItem['fileTypes'];
  maxBytes: number;
  maxFiles: number;
  uploadedBy: ChecklistItem['uploadedBy'];
  valid: number;
  pending: number;
  invalid: number;
  /** Why this item would stop a submission; absent when it would not. */
  problem?: ChecklistProblem;
}

/**
 * Where each checklist item stands. Only VALID files count. An upload request whose presigned
 * link expired without a file arriving is abandoned and ignored, so it never blocks a county.
 */
export function checklistStatus(
  checklist: readonly ChecklistItem[],
  evidence: readonly EvidenceRecord[],
  now: Date,
): ChecklistItemStatus[] {
  return checklist.map((item) => {
    const mine = evidence.filter((e) => e.criterion === item.id);
    const valid = mine.filter((e) => e.status === 'VALID').length;
    const invalid = mine.filter((e) => e.status === 'INVALID').length;
    const pending = mine.filter(
      (e) => e.status === 'PENDING' && new Date(e.uploadExpiresAt).getTime() > now.getTime(),
    ).length;
    let problem: ChecklistProblem | undefined;
    if (pending > 0) problem = 'PENDING';
    else if (valid > item.maxFiles) problem = 'TOO_MANY_FILES';
    else if (item.required && valid === 0) problem = invalid > 0 ? 'INVALID' : 'MISSING';
    return {
      id: item.id,
      title: item.title,
      required: item.required,
      fileTypes: item.fileTypes,
      maxBytes: item.maxBytes,
      maxFiles: item.maxFiles,
      uploadedBy: item.uploadedBy,
      valid,
      pending,
      invalid,
      ...(problem ? { problem } : {}),
    };
  });
}

export const CHECKLIST_PROBLEM_MESSAGES: Record<ChecklistProblem, { zh: string; en: string }> = {
  MISSING: { zh: '缺少必需的佐证材料', en: 'required evidence is missing' },
  PENDING: {
    zh: '佐证材料仍在上传或校验中，请稍候再提交',
    en: 'evidence is still uploading or being checked',
  },
  INVALID: {
    zh: '佐证材料未通过校验，请按原因修改后重新上传',
    en: 'the evidence failed its checks; fix it and upload again',
  },
  TOO_MANY_FILES: { zh: '该项佐证材料文件数量超过上限', en: 'too many files for this item' },
};
