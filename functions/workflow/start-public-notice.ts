import { wireNotifyingTask } from '../../shared/composition/ladder.ts';
import { makeStartPublicNoticeTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeStartPublicNoticeTask(wireNotifyingTask());
