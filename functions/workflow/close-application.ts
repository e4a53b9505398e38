import { wireCloseApplication } from '../../shared/composition/ladder.ts';
import { closeApplication } from '../../shared/ladder/closing.ts';
import { CloseApplicationPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireCloseApplication();

/** MarkRejected, MarkOverdue, MarkCancelled and MarkWithdrawn: the payload's `outcome` says which. */
export const handler = workflowTask('closeApplication', CloseApplicationPayloadSchema, (payload) =>
  closeApplication(deps, payload),
);
