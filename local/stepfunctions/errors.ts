/**
 * Errors of the Step Functions API, named as AWS names them (the `__type` of a JSON 1.0 error
 * response), so `@aws-sdk/client-sfn` raises the same exception classes locally as in AWS.
 */
export type SfnErrorType =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionLimitExceeded'
  | 'ExecutionNotRedrivable'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'UnknownOperationException';

export class SfnError extends Error {
  constructor(
    readonly type: SfnErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/**
 * A Task state's failure as the state machine sees it: `name` is the error name that Retry and
 * Catch match (`Cancelled`, `Lambda.ServiceException`, `Error`…), `message` is the Cause.
 */
export class TaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * States.Runtime: a definition or data error at run time (a path that selects nothing, a wait
 * time that is not a number). Neither retried nor caught, as in AWS (aws-local-stepfunctions
 * reads these two getters).
 */
export class StatesRuntimeError extends Error {
  override name = 'States.Runtime';
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

/** Thrown into a state of an execution that was stopped or timed out, so it ends quietly. */
export class ExecutionClosedError extends StatesRuntimeError {
  constructor() {
    super('the execution is no longer running');
  }
}
