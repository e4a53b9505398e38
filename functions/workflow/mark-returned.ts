import { mailerFromEnv, recordsFromEnv, systemClock } from '../../shared/composition.ts';
import { markReturned } from '../../shared/domain/ladder.ts';
import { MarkReturnedPayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { records: recordsFromEnv(), mailer: mailerFromEnv(), clock: systemClock };

export const handler = workflowTask('markReturned', MarkReturnedPayloadSchema, (payload) =>
  markReturned(deps, payload),
);
