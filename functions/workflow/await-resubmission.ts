import { recordsFromEnv, systemClock } from '../../shared/composition/wiring.ts';
import { awaitResubmission } from '../../shared/ladder/ladder.ts';
import { AwaitResubmissionPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = { records: recordsFromEnv(), clock: systemClock };

/** Callback task: the applicant's resubmission (POST …/submit) completes it with SendTaskSuccess. */
export const handler = workflowTask('awaitResubmission', AwaitResubmissionPayloadSchema, (payload) =>
  awaitResubmission(deps, payload),
);
