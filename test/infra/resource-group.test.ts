import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { GroupingStack, ResourceGroup } from '../../infra/constructs/resource-group.ts';
import { logicalId, synthPipeline, testApp } from './helpers.ts';

const idOf = (stack: Stack, queue: Queue) => stack.getLogicalId(queue.node.defaultChild as CfnElement);

describe('ResourceGroup', () => {
  it('leaves its id out of the logical IDs of what it holds, at any depth', () => {
    const grouped = new GroupingStack(testApp(), 'Grouped');
    const group = new ResourceGroup(grouped, 'Group');
    const inGroup = new Queue(group, 'Failures');
    const nested = new Queue(new Construct(group, 'Part'), 'Failures');

    const flat = new Stack(testApp(), 'Flat');
    const same = new Queue(flat, 'Failures');
    const sameNested = new Queue(new Construct(flat, 'Part'), 'Failures');

    expect(idOf(grouped, inGroup)).toBe(idOf(flat, same));
    expect(idOf(grouped, nested)).toBe(idOf(flat, sameNested));
    // The construct tree still shows the group.
    expect(inGroup.node.path).toBe('Grouped/Group/Failures');
  });

  it('refuses a stack that would put its id into logical IDs', () => {
    expect(() => new ResourceGroup(new Stack(testApp(), 'Plain'), 'Group')).toThrow(/GroupingStack/);
  });

  it('fails the synth when two groups hold children of the same id', () => {
    const app = testApp();
    const stack = new GroupingStack(app, 'Clash');
    new Queue(new ResourceGroup(stack, 'A'), 'Failures');
    new Queue(new ResourceGroup(stack, 'B'), 'Failures');
    expect(() => app.synth()).toThrow(/Failures/);
  });
});

describe('logical IDs of deployed resources', () => {
  // A changed logical ID replaces the resource: these are the IDs the stacks were first deployed
  // with (a new bucket or table would be made beside the retained one, which keeps the data).
  const { stateful, stateless, statelessTemplate } = synthPipeline();

  it('keeps the stateful resources where they were', () => {
    expect(logicalId(stateful, stateful.bucket)).toBe('EvidenceBucketFBA44255');
    expect(logicalId(stateful, stateful.accessLogsBucket)).toBe('EvidenceAccessLogsBD172AC0');
    expect(logicalId(stateful, stateful.table)).toBe('TableCD117FA1');
    expect(logicalId(stateful, stateful.linkKey)).toBe('ReviewLinkKeyE02B72E2');
    expect(logicalId(stateful, stateful.linkKeyRotation)).toBe('RotateLinkKeyFunction5BCC7FE7');
  });

  it('keeps the API, its handlers, the ladder and the dead-letter queues where they were', () => {
    // The API's endpoint is in every review link emailed so far.
    expect(logicalId(stateless, stateless.api)).toBe('HttpApiF5A9A8A7');
    expect(logicalId(stateless, stateless.apiFunctions.reviews)).toBe('ReviewsFunction76EF4364');
    expect(logicalId(stateless, stateless.eventFunctions.validator)).toBe('ValidatorFunction3E7569DB');
    expect(logicalId(stateless, stateless.scheduledFunctions.sweeper)).toBe('SweeperFunctionB5F2624B');
    expect(logicalId(stateless, stateless.workflowFunctions.requestReview)).toBe('LadderRequestReviewFunction31648CAB');
    expect(logicalId(stateless, stateless.reviewLadder.stateMachine)).toBe('ReviewLadderStateMachine48D132AE');
    expect(logicalId(stateless, stateless.validatorFailures)).toBe('ValidatorFailures31CA76A7');
    expect(logicalId(stateless, stateless.scheduleFailures.sweeper)).toBe('SweeperFailures68B7F438');
  });

  it("keeps S3's permission to invoke the validator, whose id CDK derives from the function's path", () => {
    const permissions = statelessTemplate.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 's3.amazonaws.com' },
    });
    // The package builder is the bucket's other subscriber (package requests).
    expect(Object.keys(permissions).sort()).toEqual([
      expect.stringMatching(
        /^EvidenceBucketNotificationsAllowBucketNotificationsToClusterPipelinetestStatelessPackageBuilderFunction/,
      ),
      expect.stringMatching(
        /^EvidenceBucketNotificationsAllowBucketNotificationsToClusterPipelinetestStatelessValidatorFunction/,
      ),
    ]);
  });
});
