import { wireRecordsTask } from '../../shared/composition/ladder.ts';
import { makeAwaitResubmissionTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeAwaitResubmissionTask(wireRecordsTask());
