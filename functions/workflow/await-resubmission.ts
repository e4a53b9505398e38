import { recordsFromEnv, systemClock } from '../../shared/composition.ts';
import { awaitResubmission } from '../../shared/domain/ladder.ts';
import { AwaitResubmissionPayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { records: recordsFromEnv(), clock: systemClock };

/** Callback task: the applicant's resubmission (POST …/submit) completes it with SendTaskSuccess. */
export const handler = workflowTask('awaitResubmission', AwaitResubmissionPayloadSchema, (payload) =>
  awaitResubmission(deps, payload),
);
