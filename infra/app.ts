import { App } from 'aws-cdk-lib';
import { definePipeline } from './pipeline.ts';
import { DEFAULT_STAGE, parseAllowedOrigins } from './settings.ts';

/**
 * The CDK app (cdk.json runs it with tsx). Context, from cdk.json or `-c`:
 *   stage           e.g. `-c stage=prod` (default dev); stacks are ClusterPipeline-<stage>-Stateful
 *                   and ClusterPipeline-<stage>-Stateless
 *   allowedOrigins  browser origins for the API and evidence uploads: a JSON array in cdk.json, or
 *                   `-c allowedOrigins=https://a.example,https://b.example` (a JSON array string works too)
 */
const app = new App();
definePipeline(app, {
  stage: String(app.node.tryGetContext('stage') ?? DEFAULT_STAGE),
  allowedOrigins: parseAllowedOrigins(app.node.tryGetContext('allowedOrigins')),
});
