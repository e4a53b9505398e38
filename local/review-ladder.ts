import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV } from '../shared/composition/env.ts';
import { WORKFLOW_TASKS } from '../shared/ladder/tasks.ts';
import type { TaskHandler } from './stepfunctions/engine.ts';
import type { LocalStateMachine } from './state-machine.ts';

const root = resolve(import.meta.dirname, '..');

/**
 * The review ladder as the local runtime runs it: the very definition the CDK construct deploys
 * (built in a throwaway stack and resolved to JSON), with each task mapped to the same handler
 * module its Lambda function runs. Called once process.env points at the stand-ins.
 */
export async function reviewLadderMachine(): Promise<LocalStateMachine> {
  // Imported here, not at the top: aws-cdk-lib is only needed once, at start.
  const { localLadderDefinition } = await import('../infra/constructs/review-ladder.ts');
  const handlers: Record<string, TaskHandler> = {};
  for (const [key, spec] of Object.entries(WORKFLOW_TASKS)) {
    const module = (await import(pathToFileURL(resolve(root, spec.entry)).href)) as { handler: TaskHandler };
    handlers[key] = (payload) => module.handler(payload);
  }
  return { name: 'review-ladder', definition: localLadderDefinition(), handlers, arnEnv: ENV.stateMachineArn };
}
