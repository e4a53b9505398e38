import { wireNotifyingTask } from '../../shared/composition/ladder.ts';
import { markReturned } from '../../shared/ladder/returns.ts';
import { MarkReturnedPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireNotifyingTask();

export const handler = workflowTask('markReturned', MarkReturnedPayloadSchema, (payload) =>
  markReturned(deps, payload),
);
