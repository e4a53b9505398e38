import { wirePrepareRoute } from '../../shared/composition/ladder.ts';
import { prepareRoute } from '../../shared/ladder/stages.ts';
import { ExecutionInputSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wirePrepareRoute();

export const handler = workflowTask('prepareRoute', ExecutionInputSchema, (input) => prepareRoute(deps, input));
