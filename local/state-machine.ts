import type { TaskHandler } from './stepfunctions/engine.ts';

/** A state machine for the local Step Functions runtime (its ASL, e.g. from extractDefinition). */
export interface LocalStateMachine {
  name: string;
  /** The ASL definition as plain JSON (local/stepfunctions/extract.ts turns a CDK construct into it). */
  definition: object;
  /** Task key → handler: Lambda function `local-<taskKey>` runs `handlers[taskKey]`. */
  handlers: Record<string, TaskHandler>;
  /** An environment variable set to its ARN for the handlers (e.g. ENV.stateMachineArn). */
  arnEnv?: string;
}
