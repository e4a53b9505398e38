import { describe, expect, it, vi } from 'vitest';
import { WORKFLOW_TASK_ERRORS } from '../../../shared/ladder/tasks.ts';
import { makeCheckObjectionsTask, makeRequestReviewTask } from '../../../shared/ladder/task-handlers.ts';
import { InvalidPayloadError } from '../../../shared/platform/workflow-task.ts';
import { APP_ID } from '../support.ts';

/*
 * The ladder's task handlers built from fakes: no environment, no SDK client. The payload is
 * parsed with the task's schema before the step runs; what does not match is refused with the
 * error the state machine's Catch recognises.
 */

const notice = { startedAt: '2026-06-01T00:00:00.000Z', endsAt: '2026-06-08T00:00:00.000Z' };

describe('makeCheckObjectionsTask', () => {
  it('parses the payload and counts the objections filed during the notice by their triage', async () => {
    const listObjections = vi.fn(async () => [
      { filedAt: '2026-06-02T00:00:00.000Z', resolved: false },
      { filedAt: '2026-06-03T00:00:00.000Z', resolved: true, outcome: 'dismissed' as const },
      // Before this notice: MIIT weighed it in an earlier round.
      { filedAt: '2026-05-01T00:00:00.000Z', resolved: true, outcome: 'upheld' as const },
    ]);
    const task = makeCheckObjectionsTask({ objections: { listObjections } });

    await expect(task({ applicationId: APP_ID, notice })).resolves.toEqual({ upheld: 0, untriaged: 1, unresolved: 0 });
    expect(listObjections).toHaveBeenCalledWith(APP_ID);
  });

  it('refuses an invalid payload with InvalidPayloadError naming the field, running nothing', async () => {
    const listObjections = vi.fn(async () => []);
    const task = makeCheckObjectionsTask({ objections: { listObjections } });

    const refused = task({ applicationId: APP_ID, notice: { startedAt: 'yesterday' } });

    await expect(refused).rejects.toBeInstanceOf(InvalidPayloadError);
    await expect(refused).rejects.toMatchObject({
      name: WORKFLOW_TASK_ERRORS.invalidPayload,
      message: expect.stringContaining('notice.startedAt'),
    });
    expect(listObjections).not.toHaveBeenCalled();
  });
});

describe('makeRequestReviewTask', () => {
  it("hands the review request to the desk with the task's token", async () => {
    const open = vi.fn(async () => ({ reviewId: `${APP_ID}.city.1.1`, emailed: true }));
    const task = makeRequestReviewTask({ desk: { open } });
    const review = {
      applicationId: APP_ID,
      revision: 1,
      stage: 'city',
      jurisdictionCode: '222400',
      deadline: '2026-06-30T16:00:00.000Z',
      round: 1,
    };

    await expect(task({ taskToken: 'token-1', review })).resolves.toEqual({
      reviewId: `${APP_ID}.city.1.1`,
      emailed: true,
    });
    expect(open).toHaveBeenCalledWith({ ...review, taskToken: 'token-1' });
  });
});
