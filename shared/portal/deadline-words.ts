/**
 * What the portal says once a deadline has passed (逾期不予受理), beside the pages that say it:
 * what is left to the county, and whom to ask. Late material is not accepted, so no page offers a
 * resubmission, an appeal or an extension; it names the level that answers for the stage.
 */
import type { Bilingual } from '../schemas/common.ts';

export const DEADLINE_WORDS = {
  overdueTitle: { zh: '逾期不予受理', en: 'Late: not accepted (逾期不予受理)' },
  /** An application that ended OVERDUE, at any stage. */
  endedWhatIsLeft: {
    zh: '本申报在本次活动中已终止，不能再修改或提交；申报表和办理记录仍可在本页查看、打印。',
    en: 'The application has ended in this campaign: it can no longer be changed or submitted. Its form and its record stay on this page to read and print.',
  },
  /** A draft (or a returned application) past the county's deadline, before the ladder closes it. */
  lateWhatIsLeft: {
    zh: '申报表和佐证材料仍保留，可以查看、打印或撤回，但不能再修改、上传或提交。',
    en: 'The form and the evidence stay: you can still read, print or withdraw the application, but no longer change, upload or submit.',
  },
  deadlinePassedAt: { zh: '截止时间（已过）', en: 'Deadline (passed)' },
} as const satisfies Record<string, Bilingual>;

/** Whom to ask: the SME authority of the level that answers for the stage. */
export const contactWords = (name: string): Bilingual => ({
  zh: `如有疑问，请联系${name}中小企业主管部门。`,
  en: `For questions, contact the SME authority of ${name}.`,
});
