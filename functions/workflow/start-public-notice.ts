import { mailerFromEnv, recordsFromEnv, systemClock } from '../../shared/composition/wiring.ts';
import { startPublicNotice } from '../../shared/ladder/ladder.ts';
import { StartPublicNoticePayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = { records: recordsFromEnv(), mailer: mailerFromEnv(), clock: systemClock };

export const handler = workflowTask('startPublicNotice', StartPublicNoticePayloadSchema, (payload) =>
  startPublicNotice(deps, payload),
);
