import { wireRecordsTask } from '../../shared/composition/ladder.ts';
import { enterStage } from '../../shared/ladder/stages.ts';
import { EnterStagePayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const deps = wireRecordsTask();

export const handler = workflowTask('enterStage', EnterStagePayloadSchema, (payload) => enterStage(deps, payload));
