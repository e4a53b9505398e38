import { wireNotifyingTask } from '../../shared/composition/ladder.ts';
import { makeMarkReturnedTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeMarkReturnedTask(wireNotifyingTask());
