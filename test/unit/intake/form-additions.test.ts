import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../../shared/intake/submission.ts';
import { applicationView } from '../../../shared/intake/view.ts';
import { miit2025Rereview } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { sampleApplication } from '../support.ts';

const now = new Date('2025-04-01T02:00:00.000Z');
const SHANXI = { countyCode: '140121', cityCode: '140100', provincialCode: '140000' };
const JILIN = { countyCode: '222403', cityCode: '222400', provincialCode: '220000' };

const rereview = (where: typeof SHANXI, form: Record<string, unknown> = {}) =>
  sampleApplication({ campaignId: miit2025Rereview.campaignId, track: 'rereview', ...where, form });

const formProblems = (application: ReturnType<typeof rereview>) =>
  submissionProblems(application, miit2025Rereview, [], now)
    .map((detail) => detail.field)
    .filter((field) => field?.startsWith('form.provincial.'));

describe('a re-review’s submission and view, by the county’s province', () => {
  it('a Shanxi county’s view carries the contributions; its submission names each one missing', () => {
    const application = rereview(SHANXI);
    const view = applicationView(application, miit2025Rereview, [], now);
    expect(view.formAdditions?.filter((a) => a.required).map((a) => a.id)).toEqual([
      'economyContribution',
      'employmentContribution',
      'innovationContribution',
    ]);
    expect(formProblems(application)).toEqual([
      'form.provincial.economyContribution',
      'form.provincial.employmentContribution',
      'form.provincial.innovationContribution',
    ]);
    const filled = rereview(SHANXI, {
      provincial: { economyContribution: '甲', employmentContribution: '乙', innovationContribution: '丙' },
    });
    expect(formProblems(filled)).toEqual([]);
  });

  it('a Jilin county is never asked for them', () => {
    const application = rereview(JILIN);
    expect(applicationView(application, miit2025Rereview, [], now).formAdditions).toBeUndefined();
    expect(formProblems(application)).toEqual([]);
  });
});
