import type { App, Environment } from 'aws-cdk-lib';
import type { MailerKind } from '../shared/composition/env.ts';
import { APP_NAME, assertStage, mailerFor, type TokenIssuer } from './settings.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

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
  /**
   * How email leaves: `ses`, or `smtp` where SES is not offered (no SES permissions then).
   * @default 'smtp' in the China regions, 'ses' elsewhere
   */
  readonly mailer?: MailerKind;
  /**
   * Another OpenID Connect provider whose ID tokens the API accepts, instead of a Cognito user
   * pool (then none is made). Required in the China regions, which offer no user pools.
   * @default a Cognito user pool in the stateful stack
   */
  readonly oidc?: TokenIssuer;
  /**
   * Prefix of the user pool's hosted login domain, `https://<prefix>.auth.<region>.amazoncognito.com`
   * (not with `oidc`). @default `clusterpipeline-<stage>-<12 hex digits of the stateful stack's id>`
   */
  readonly signInDomainPrefix?: string;
  /**
   * Account and region, when the stacks must know them (e.g. `{ region: 'cn-north-1' }`: no SES,
   * no Lambda X-Ray). @default environment-agnostic (the current credentials' account and region)
   */
  readonly env?: Environment;
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
  const mailer = mailerFor(options.env?.region, options.mailer);

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `Cluster recommendation pipeline: evidence bucket, table${options.oidc ? '' : ', user pool (and its sign-in domain)'} and review-link key (retained), and the key's rotation`,
    allowedOrigins: options.allowedOrigins,
    terminationProtection: options.stage === 'prod',
    mailer,
    ...(options.oidc && { oidc: options.oidc }),
    ...(options.signInDomainPrefix !== undefined && { signInDomainPrefix: options.signInDomainPrefix }),
    ...(options.env && { env: options.env }),
    tags,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description:
      'Cluster recommendation pipeline: handlers, HTTP API, evidence validator, review ladder, sweeper, dashboard and alarms',
    allowedOrigins: options.allowedOrigins,
    senderEmail: options.senderEmail,
    publicBaseUrl: options.publicBaseUrl,
    alarmEmail: options.alarmEmail,
    bucket: stateful.bucket,
    table: stateful.table,
    linkKey: stateful.linkKey,
    signIn: stateful.signIn,
    mailer,
    ...(stateful.smtpSettings && { smtpSettings: stateful.smtpSettings }),
    ...(options.env && { env: options.env }),
    tags,
  });
  return { stateful, stateless };
}
