import { wirePrepareRoute } from '../../shared/composition/ladder.ts';
import { makePrepareRouteTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makePrepareRouteTask(wirePrepareRoute());
