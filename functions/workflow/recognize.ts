import { wireRecognizeTask } from '../../shared/composition/register.ts';
import { makeRecognizeTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeRecognizeTask(wireRecognizeTask());
