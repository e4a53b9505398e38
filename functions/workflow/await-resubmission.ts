import { wireRecordsTask } from '../../shared/composition/ladder.ts';
import { awaitResubmission } from '../../shared/ladder/returns.ts';
import { AwaitResubmissionPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireRecordsTask();

/** Callback task: the applicant's resubmission (POST …/submit) completes it with SendTaskSuccess. */
export const handler = workflowTask('awaitResubmission', AwaitResubmissionPayloadSchema, (payload) =>
  awaitResubmission(deps, payload),
);
