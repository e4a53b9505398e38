import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV } from '../shared/composition/env.ts';
import { WORKFLOW_TASKS } from '../shared/ladder/tasks.ts';
import { asFunction } from './iam/enforce.ts';
import type { LocalStateMachine, TaskHandler } from './stepfunctions/types.ts';

const root = resolve(import.meta.dirname, '..');

/**
 * The review ladder as the local runtime runs it: the very definition the CDK construct deploys
 * (built in a throwaway stack and resolved to JSON), with each task mapped to the same handler
 * module its Lambda function runs, as that function (its SDK calls are held to its role, see
 * local/iam/enforce.ts). Called once process.env points at the stand-ins.
 */
export async function reviewLadderMachine(): Promise<LocalStateMachine> {
  // Imported here, not at the top: aws-cdk-lib is only needed once, at start.
  const { localLadderDefinition } = await import('../infra/constructs/review-ladder.ts');
  const handlers: Record<string, TaskHandler> = {};
  for (const [key, spec] of Object.entries(WORKFLOW_TASKS)) {
    const url = pathToFileURL(resolve(root, spec.entry)).href;
    const module = (await asFunction(spec.entry, () => import(url))) as { handler: TaskHandler };
    handlers[key] = (payload) => asFunction(spec.entry, () => module.handler(payload));
  }
  return { name: 'review-ladder', definition: localLadderDefinition(), handlers, arnEnv: ENV.stateMachineArn };
}
