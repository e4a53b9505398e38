import { mailerFromEnv, recordsFromEnv, systemClock } from '../../shared/composition/wiring.ts';
import { markReturned } from '../../shared/ladder/ladder.ts';
import { MarkReturnedPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = { records: recordsFromEnv(), mailer: mailerFromEnv(), clock: systemClock };

export const handler = workflowTask('markReturned', MarkReturnedPayloadSchema, (payload) =>
  markReturned(deps, payload),
);
