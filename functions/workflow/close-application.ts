import { wireCloseApplication } from '../../shared/composition/ladder.ts';
import { makeCloseApplicationTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeCloseApplicationTask(wireCloseApplication());
