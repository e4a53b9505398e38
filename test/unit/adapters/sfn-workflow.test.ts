import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionName, SfnWorkflow } from '../../../shared/adapters/sfn-workflow.ts';
import { APP_ID, sampleApplication } from '../support.ts';

const STATE_MACHINE = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:ReviewLadder';
const sfn = mockClient(SFNClient);
const workflow = new SfnWorkflow(new SFNClient({ region: 'cn-north-1' }), STATE_MACHINE);

beforeEach(() => sfn.reset());

describe('start', () => {
  it('starts one execution named after the application and its revision', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
    await workflow.start(sampleApplication({ status: 'SUBMITTED', revision: 7 }));
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE,
      name: `${APP_ID}-r7`,
      input: JSON.stringify({ applicationId: APP_ID, revision: 7 }),
    });
    expect(executionName(APP_ID, 7)).toMatch(/^[A-Za-z0-9-_]{1,80}$/);
  });

  it('treats an execution that already exists as started (a repeated submit starts nothing twice)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(workflow.start(sampleApplication({ revision: 7 }))).resolves.toBeUndefined();
  });

  it('passes other failures on', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));
    await expect(workflow.start(sampleApplication())).rejects.toThrow('throttled');
  });
});

describe('resubmitted', () => {
  const resubmitted = sampleApplication({
    status: 'SUBMITTED',
    revision: 9,
    resubmissionToken: 'token-1',
    resubmittedAt: '2026-03-05T00:00:00.000Z',
  });

  it('completes the stored task token with the new revision', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await workflow.resubmitted(resubmitted);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: 'token-1',
      output: JSON.stringify({ applicationId: APP_ID, revision: 9, resubmittedAt: '2026-03-05T00:00:00.000Z' }),
    });
  });

  it('changes nothing when the wait is already over (answered before, or timed out)', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'gone', $metadata: {} }));
    await expect(workflow.resubmitted(resubmitted)).resolves.toBeUndefined();
  });

  it('passes on a token Step Functions does not recognise, and refuses to send none', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new InvalidToken({ message: 'bad', $metadata: {} }));
    await expect(workflow.resubmitted(resubmitted)).rejects.toThrow(InvalidToken);
    await expect(workflow.resubmitted(sampleApplication())).rejects.toThrow(/no resubmission token/);
  });
});
