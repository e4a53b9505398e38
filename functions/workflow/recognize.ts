import { mailerFromEnv, recordsFromEnv, systemClock } from '../../shared/composition.ts';
import { recognize } from '../../shared/domain/ladder.ts';
import { RecognizePayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { records: recordsFromEnv(), mailer: mailerFromEnv(), clock: systemClock };

export const handler = workflowTask('recognize', RecognizePayloadSchema, (payload) => recognize(deps, payload));
