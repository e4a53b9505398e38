import { campaignCatalogFromEnv, recordsFromEnv } from '../../shared/composition/wiring.ts';
import { prepareRoute } from '../../shared/ladder/ladder.ts';
import { ExecutionInputSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = { records: recordsFromEnv(), campaigns: campaignCatalogFromEnv() };

export const handler = workflowTask('prepareRoute', ExecutionInputSchema, (input) => prepareRoute(deps, input));
