import { wireRecordsTask } from '../../shared/composition/ladder.ts';
import { makeEnterStageTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeEnterStageTask(wireRecordsTask());
