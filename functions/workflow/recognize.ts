import { wireNotifyingTask } from '../../shared/composition/ladder.ts';
import { recognize } from '../../shared/ladder/closing.ts';
import { RecognizePayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireNotifyingTask();

export const handler = workflowTask('recognize', RecognizePayloadSchema, (payload) => recognize(deps, payload));
