import { campaignCatalogFromEnv, recordsFromEnv } from '../../shared/composition.ts';
import { prepareRoute } from '../../shared/domain/ladder.ts';
import { ExecutionInputSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { records: recordsFromEnv(), campaigns: campaignCatalogFromEnv() };

export const handler = workflowTask('prepareRoute', ExecutionInputSchema, (input) => prepareRoute(deps, input));
