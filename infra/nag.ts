import { Aspects, type IAspect } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagSuppressions, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The security baseline's rule packs (cdk-nag): AWS Solutions and Serverless. The app applies
 * them to every stack, so `cdk synth` fails on an unsuppressed finding (cdk.json turns error
 * annotations into a failed validation report); test/infra/nag.test.ts applies the same packs
 * and fails on any finding, errors and warnings alike.
 *
 * What cannot be fixed is suppressed where the resource is made, by `suppress`, each with the
 * rule id and a reason that says why this finding does not apply here (test/infra/nag.test.ts
 * lists them and requires a real reason).
 */
export function securityChecks(options: { verbose?: boolean; reports?: boolean } = {}): IAspect[] {
  const { verbose = false, reports = true } = options;
  return [new AwsSolutionsChecks({ verbose, reports }), new ServerlessChecks({ verbose, reports })];
}

export function applySecurityChecks(scope: IConstruct, options: { verbose?: boolean; reports?: boolean } = {}): void {
  for (const aspect of securityChecks(options)) Aspects.of(scope).add(aspect);
}

export interface Suppression {
  /** The rule, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why the finding does not apply here: specific to this resource, at least a sentence. */
  readonly reason: string;
  /**
   * Only these findings of a granular rule (IAM4, IAM5): `Resource::<…>`, `Action::<…>`, or a
   * regex (`{ regex: '/^Resource::.*\\/index\\/\\*$/g' }`) where a logical id would be spelled.
   */
  readonly appliesTo?: readonly (string | { regex: string })[];
}

/** Suppresses findings on `construct` and everything under it. */
export function suppress(construct: IConstruct, suppressions: readonly Suppression[]): void {
  NagSuppressions.addResourceSuppressions(
    construct,
    suppressions.map((s) => ({ id: s.id, reason: s.reason, ...(s.appliesTo && { appliesTo: [...s.appliesTo] }) })),
    true,
  );
}

/**
 * Regex `appliesTo` for an IAM5 finding on `<resource ARN><suffix>`, where the resource's logical
 * id starts with `logicalIdPrefix`: in its own stack the ARN reads `<Logical.Arn>`, from the
 * other stack it is a stack output (`Fn::GetStackOutput … PublishOutputFnGetAtt<Logical>…`).
 */
export function resourceFinding(logicalIdPrefix: string, suffix: string): { regex: string } {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const id = `${escape(logicalIdPrefix)}[A-Za-z0-9]*`;
  const local = `<${id}\\.Arn>`;
  const imported = `\\{"Fn::GetStackOutput":\\{.*"OutputName":"PublishOutputFnGetAtt${id}"\\}\\}`;
  return { regex: `/^Resource::(?:${local}|${imported})${escape(suffix)}$/g` };
}

/** X-Ray's write actions name no resource: every traced role gets them on `*`. */
export const XRAY_SUPPRESSION: Suppression = {
  id: 'AwsSolutions-IAM5',
  reason:
    'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they are granted on "*" (the only "*" resource; test/infra/iam.test.ts checks it).',
  appliesTo: ['Resource::*'],
};
