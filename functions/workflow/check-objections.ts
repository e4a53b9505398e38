import { wireCheckObjections } from '../../shared/composition/ladder.ts';
import { checkObjections } from '../../shared/ladder/public-notice.ts';
import { CheckObjectionsPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireCheckObjections();

export const handler = workflowTask('checkObjections', CheckObjectionsPayloadSchema, (payload) =>
  checkObjections(deps, payload),
);
