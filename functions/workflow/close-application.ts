import {
  campaignCatalogFromEnv,
  mailerFromEnv,
  quotasFromEnv,
  recordsFromEnv,
  systemClock,
} from '../../shared/composition.ts';
import { closeApplication } from '../../shared/domain/ladder.ts';
import { CloseApplicationPayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const deps = {
  records: recordsFromEnv(),
  campaigns: campaignCatalogFromEnv(),
  quotas: quotasFromEnv(),
  mailer: mailerFromEnv(),
  clock: systemClock,
};

/** MarkRejected, MarkOverdue, MarkCancelled and MarkWithdrawn: the payload's `outcome` says which. */
export const handler = workflowTask('closeApplication', CloseApplicationPayloadSchema, (payload) =>
  closeApplication(deps, payload),
);
