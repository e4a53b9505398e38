import { mailerFromEnv, recordsFromEnv, systemClock } from '../../shared/composition.ts';
import { startPublicNotice } from '../../shared/domain/ladder.ts';
import { StartPublicNoticePayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { records: recordsFromEnv(), mailer: mailerFromEnv(), clock: systemClock };

export const handler = workflowTask('startPublicNotice', StartPublicNoticePayloadSchema, (payload) =>
  startPublicNotice(deps, payload),
);
