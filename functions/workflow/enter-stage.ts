import { recordsFromEnv, systemClock } from '../../shared/composition.ts';
import { enterStage } from '../../shared/domain/ladder.ts';
import { EnterStagePayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = { records: recordsFromEnv(), clock: systemClock };

export const handler = workflowTask('enterStage', EnterStagePayloadSchema, (payload) => enterStage(deps, payload));
