import { wireNotifyingTask } from '../../shared/composition/ladder.ts';
import { makeRecognizeTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeRecognizeTask(wireNotifyingTask());
