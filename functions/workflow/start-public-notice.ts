import { wireNotifyingTask } from '../../shared/composition/ladder.ts';
import { startPublicNotice } from '../../shared/ladder/public-notice.ts';
import { StartPublicNoticePayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireNotifyingTask();

export const handler = workflowTask('startPublicNotice', StartPublicNoticePayloadSchema, (payload) =>
  startPublicNotice(deps, payload),
);
