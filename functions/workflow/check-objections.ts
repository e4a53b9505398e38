import { wireCheckObjections } from '../../shared/composition/ladder.ts';
import { makeCheckObjectionsTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeCheckObjectionsTask(wireCheckObjections());
