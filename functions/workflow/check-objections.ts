import { objectionLogFromEnv } from '../../shared/composition.ts';
import { checkObjections } from '../../shared/domain/ladder.ts';
import { CheckObjectionsPayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { objections: objectionLogFromEnv() };

export const handler = workflowTask('checkObjections', CheckObjectionsPayloadSchema, (payload) =>
  checkObjections(deps, payload),
);
