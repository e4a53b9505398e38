import type { App } from 'aws-cdk-lib';
import { APP_NAME, assertStage } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface PipelineOptions {
  /** Stack name prefix part: `ClusterPipeline-<stage>-Stateful` / `-Stateless`. */
  readonly stage: string;
  /** Browser origins for the API and for evidence uploads. */
  readonly allowedOrigins: readonly string[];
  /** From address of every email (an SES verified identity). @default DEFAULT_SENDER_EMAIL */
  readonly senderEmail?: string;
  /** Prefix of links in emails. @default the HTTP API's own endpoint */
  readonly publicBaseUrl?: string;
  /** Subscribed by email to the alarm topic. @default no subscription */
  readonly alarmEmail?: string;
}

export interface Pipeline {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Both stacks of one stage. Stateful resources are handed to the stateless stack by props, so
 * references run one way (stateless -> stateful) and the stateless stack can be destroyed and
 * redeployed freely. The stacks are environment-agnostic: synth needs no account, and
 * `cdk deploy` targets the account and region of the current credentials.
 */
export function definePipeline(app: App, options: PipelineOptions): Pipeline {
  assertStage(options.stage);
  const prefix = `${APP_NAME}-${options.stage}`;
  const tags = { project: 'cluster-recommendation-pipeline', stage: options.stage };

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: 'Cluster recommendation pipeline: evidence bucket and table (retained)',
    allowedOrigins: options.allowedOrigins,
    terminationProtection: options.stage === 'prod',
    tags,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: 'Cluster recommendation pipeline: handlers, HTTP API, evidence validator, review ladder, sweeper, dashboard and alarms',
    allowedOrigins: options.allowedOrigins,
    senderEmail: options.senderEmail,
    publicBaseUrl: options.publicBaseUrl,
    alarmEmail: options.alarmEmail,
    bucket: stateful.bucket,
    table: stateful.table,
    tags,
  });
  return { stateful, stateless };
}
