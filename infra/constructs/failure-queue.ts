import type { Suppression } from '../nag.ts';

/** A function invoked asynchronously whose failures go to an on-failure destination. */
export const ON_FAILURE_DESTINATION: Suppression = {
  id: 'Serverless-LambdaDLQ',
  reason:
    'Asynchronous, with an on-failure destination (an SQS queue, alarmed) instead of a dead-letter queue: the destination records the request and the error, a DLQ only the request.',
};

/** A queue that is itself the dead-letter store of `what`: read by an operator, never consumed. */
export function failureQueueSuppressions(what: string): Suppression[] {
  return [
    {
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter store (${what}); its messages are read by an operator after an alarm, never consumed by code.`,
    },
    {
      id: 'Serverless-SQSRedrivePolicy',
      reason: `Dead-letter store of ${what}: nothing consumes it automatically, so there is no receive count to redrive on.`,
    },
  ];
}
