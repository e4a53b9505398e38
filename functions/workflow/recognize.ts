import { mailerFromEnv, recordsFromEnv, systemClock } from '../../shared/composition/wiring.ts';
import { recognize } from '../../shared/ladder/ladder.ts';
import { RecognizePayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = { records: recordsFromEnv(), mailer: mailerFromEnv(), clock: systemClock };

export const handler = workflowTask('recognize', RecognizePayloadSchema, (payload) => recognize(deps, payload));
