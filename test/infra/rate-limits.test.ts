import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { describe, expect, it } from 'vitest';
import { SIGN_IN_RATE_RULE, SignInFirewall } from '../../infra/constructs/sign-in-firewall.ts';
import { TTL_ATTRIBUTE } from '../../shared/adapters/table.ts';
import { CHINA_OPTIONS, logicalId, roleStatements, synthPipeline, synthPipelineWith } from './helpers.ts';

/**
 * Per-client limits in AWS: WAF's rate-based rule where WAF can attach (the Cognito user pool;
 * the HTTP API cannot carry a web ACL), the table's TTL for the limiter's counters, and the ops
 * function's grant to count sign-ins without any other write.
 */
describe('per-client limits in the stacks', () => {
  const pipeline = synthPipeline();

  it('blocks a source address over its rate on the sign-in endpoints: a REGIONAL web ACL on the user pool', () => {
    const template = pipeline.statefulTemplate;
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: SIGN_IN_RATE_RULE,
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 300, EvaluationWindowSec: 300 } },
          VisibilityConfig: Match.objectLike({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true }),
        }),
      ],
    });
    const pool = pipeline.stateful.signInPool?.userPool;
    const acl = pipeline.stateful.signInFirewall?.webAcl;
    if (!pool || !acl) throw new Error('the default pipeline has a user pool and its firewall');
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [logicalId(pipeline.stateful, pool), 'Arn'] },
      WebACLArn: { 'Fn::GetAtt': [pipeline.stateful.getLogicalId(acl), 'Arn'] },
    });
  });

  it('has no web ACL in the China regions, where sign-in is another provider (no user pool)', () => {
    const china = synthPipelineWith(CHINA_OPTIONS);
    china.statefulTemplate.resourceCountIs('AWS::WAFv2::WebACL', 0);
    china.statelessTemplate.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('refuses a rate WAF would not take', () => {
    const stack = new Stack();
    const userPool = new UserPool(stack, 'Pool');
    expect(() => new SignInFirewall(stack, 'Low', { userPool, limitPer5Minutes: 5 })).toThrow(/limitPer5Minutes/);
    new SignInFirewall(stack, 'Ok', { userPool, limitPer5Minutes: 100 });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: [Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 100 }) } })],
    });
  });

  it('lets DynamoDB expire the limiter’s counters (the table’s TTL attribute)', () => {
    pipeline.statefulTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('the ops function, which reads and appends a redrive’s audit event, may update the limiter’s counters and no other item', () => {
    const statements = roleStatements(
      pipeline.statelessTemplate,
      pipeline.stateless,
      pipeline.stateless.apiFunctions.ops,
    );
    const updates = statements.filter((s) => [s.Action].flat().includes('dynamodb:UpdateItem'));
    expect(updates).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } },
      }),
    ]);
    // Its one other write: a redrive's audit event (PutItem), in the application's own partition.
    const writes = statements.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('dynamodb:') && /Put|Delete|BatchWrite|Transact/.test(a)),
    );
    expect(writes).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*'] } },
      }),
    ]);
  });
});
