import { describe, expect, it } from 'vitest';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { API_FUNCTIONS, EVENT_FUNCTIONS, SCHEDULED_FUNCTIONS } from '../../shared/platform/functions.ts';
import { WORKFLOW_TASKS, type WorkflowTaskKey } from '../../shared/ladder/tasks.ts';
import { loadWith, logicalId, synthPipeline } from './helpers.ts';

/**
 * Each handler reads its configuration when the module loads. Load every handler module in a
 * fresh process with exactly the environment variables its function gets from the stack (tokens
 * replaced by placeholders), so a handler that needs a variable its function lacks fails here and
 * not at its first cold start in AWS.
 */
const { stateless, statelessTemplate } = synthPipeline();

const entries: [string, PipelineFunction, string][] = [
  ...Object.entries(API_FUNCTIONS).map(([name, spec]): [string, PipelineFunction, string] => [
    name,
    stateless.apiFunctions[name as keyof typeof API_FUNCTIONS],
    spec.entry,
  ]),
  ...Object.entries(EVENT_FUNCTIONS).map(([name, spec]): [string, PipelineFunction, string] => [
    name,
    stateless.eventFunctions[name as keyof typeof EVENT_FUNCTIONS],
    spec.entry,
  ]),
  ...Object.entries(SCHEDULED_FUNCTIONS).map(([name, spec]): [string, PipelineFunction, string] => [
    name,
    stateless.scheduledFunctions[name as keyof typeof SCHEDULED_FUNCTIONS],
    spec.entry,
  ]),
  ...Object.entries(WORKFLOW_TASKS).map(([name, spec]): [string, PipelineFunction, string] => [
    name,
    stateless.workflowFunctions[name as WorkflowTaskKey],
    spec.entry,
  ]),
];

describe('handler modules load with the environment their function gets', () => {
  it.each(entries)('%s', (_name, fn, entry) => {
    const resource = statelessTemplate.toJSON().Resources[logicalId(stateless, fn)];
    const stackVariables = (resource?.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
    const variables = Object.fromEntries(
      Object.entries(stackVariables).map(([key, value]) => [
        key,
        // A token's value is known at deploy only: a placeholder of the right shape (URLs parse).
        typeof value === 'string'
          ? value
          : key.endsWith('_URL')
            ? `https://placeholder.example/${key}`
            : `placeholder-${key}`,
      ]),
    );
    expect(loadWith(entry, variables)).toBe('loaded');
  });

  it('fails for a handler whose variable is missing', () => {
    expect(() => loadWith(API_FUNCTIONS.evidence.entry, {})).toThrow(/TABLE_NAME|BUCKET_NAME/);
  });
});
