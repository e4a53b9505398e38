import { wireEnterStage } from '../../shared/composition/register.ts';
import { makeEnterStageTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeEnterStageTask(wireEnterStage());
