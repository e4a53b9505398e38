import type { Caller } from '../platform/auth/principal.ts';
import { ConflictError, type ErrorDetail } from '../platform/errors.ts';
import type { Records } from '../ports/core.ts';
import type { ReviewWorkflow } from '../ports/intake.ts';
import type { Campaign } from '../rules/campaign.ts';
import { missingFormFields, precheckThresholds } from '../rules/form.ts';
import { additionsFor } from '../rules/form-additions.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import { assertTakingApplications, type LoadDeps, loadAuthorised, rulesOf } from './access.ts';
import { type AuditStamp, callerAudit } from './audit.ts';
import { CHECKLIST_PROBLEM_MESSAGES, checklistStatus } from './checklist.ts';
import { publicView } from './view.ts';
import type { RegisterStore } from '../ports/register.ts';
import { assertEntryStillStanding } from '../register/filing.ts';
import { rereviewRegister } from '../register/rereview-outcome.ts';

/*
 * Submission: a complete DRAFT goes to the review workflow, and a RETURNED application back to the
 * stage that returned it. The record is saved first, then the workflow is told; a repeated call
 * repeats the telling, which the workflow makes a no-op.
 */

export interface SubmissionDeps extends AuditStamp, LoadDeps {
  records: Pick<Records, 'getApplication' | 'listEvidence' | 'saveApplication'>;
  workflow: ReviewWorkflow;
  /** The register: a re-review's entry goes under re-review when its filing is submitted. */
  register?: Pick<RegisterStore, 'get' | 'replace'>;
}

/** The entry's move when a re-review is submitted (idempotent: a repeat changes nothing). */
async function entryFiled(deps: SubmissionDeps, application: ApplicationRecord): Promise<void> {
  if (application.registerEntryId === undefined || !deps.register) return;
  await rereviewRegister({ register: deps.register, clock: deps.clock }).filed(application);
}

/** SUBMITTED for the first time, before the workflow took it to a stage. */
function awaitsFirstStart(application: ApplicationRecord): boolean {
  return (
    application.status === 'SUBMITTED' && application.stage === undefined && application.resubmissionToken === undefined
  );
}

/** SUBMITTED again after a return, the workflow not yet back at the stage (it clears the token). */
function awaitsWorkflow(application: ApplicationRecord): boolean {
  return application.status === 'SUBMITTED' && application.resubmissionToken !== undefined;
}

/**
 * Each form field and checklist item that stops this application from being submitted, named
 * (`form.contact.phone`, `checklist.<item>`), with the files' reasons: what the submit refuses
 * with, and what the county's portal shows before anything is sent.
 */
export function submissionProblems(
  application: ApplicationRecord,
  campaign: Campaign,
  evidence: readonly EvidenceRecord[],
  now: Date,
): ErrorDetail[] {
  const rules = rulesOf(application, campaign);
  // What the county owes; the city's own items are checked when the city decides.
  const countyItems = rules.checklist.filter((item) => item.uploadedBy === 'county');
  const checklist = checklistStatus(countyItems, evidence, now);
  return [
    ...missingFormFields(
      application.track,
      application.form,
      campaign.year,
      additionsFor(rules.overlay?.formAdditions, application.track),
    ),
    ...checklist.flatMap((item): ErrorDetail[] =>
      item.problem
        ? [
            {
              field: `checklist.${item.id}`,
              code: item.problem,
              message: `${item.title.zh}：${CHECKLIST_PROBLEM_MESSAGES[item.problem].zh} / ${item.title.en}: ${CHECKLIST_PROBLEM_MESSAGES[item.problem].en}`,
              reasons: evidence
                .filter((e) => e.criterion === item.id && e.status === 'INVALID')
                .flatMap((e) =>
                  e.findings.map((f) => ({ evidenceId: e.evidenceId, code: f.code, message: f.message })),
                ),
            },
          ]
        : [],
    ),
  ];
}

/** Refuses submission while a form field or checklist item is missing or invalid. */
async function assertComplete(deps: SubmissionDeps, application: ApplicationRecord, campaign: Campaign): Promise<void> {
  const evidence = await deps.records.listEvidence(application.applicationId);
  const problems = submissionProblems(application, campaign, evidence, deps.clock());
  if (problems.length) {
    throw new ConflictError('SUBMISSION_INCOMPLETE', 'The application is not complete', problems);
  }
}

/** POST /v1/applications/{id}/submit: 202 and the workflow starts (or takes the resubmission). */
export async function submitApplication(deps: SubmissionDeps, applicationId: string, caller: Caller) {
  const { application, campaign } = await loadAuthorised(deps, applicationId, caller.principal, 'actAsApplicant');
  if (application.status === 'RETURNED' || awaitsWorkflow(application)) {
    return resubmit(deps, application, campaign, caller);
  }
  if (awaitsFirstStart(application)) {
    // Saved as SUBMITTED, but the workflow may never have started (the first request died between
    // the two). Starting again is safe (the execution's name makes it a no-op when it did start);
    // the answer stays 409 ALREADY_SUBMITTED, as the contract says.
    await entryFiled(deps, application);
    await deps.workflow.start(application);
  }
  if (application.status !== 'DRAFT') {
    throw new ConflictError('ALREADY_SUBMITTED', `The application is already ${application.status}`, [
      { field: 'status', code: 'ALREADY_SUBMITTED', message: `status is ${application.status}` },
    ]);
  }
  assertTakingApplications(campaign, application.dueAt, deps.clock());
  const rules = rulesOf(application, campaign);
  await assertComplete(deps, application, campaign);
  if (deps.register) await assertEntryStillStanding(deps.register, application);
  const now = deps.clock().toISOString();
  const chain = rules.stages;
  const submitted: ApplicationRecord = {
    ...application,
    status: 'SUBMITTED',
    revision: application.revision + 1,
    // Until the review workflow takes over, the next deadline is the first review stage's.
    dueAt: rules.deadlines[chain[0]?.stage ?? 'province'] ?? campaign.calendar.province,
    submittedAt: now,
    updatedAt: now,
  };
  await deps.records.saveApplication(
    submitted,
    application,
    callerAudit(deps, application, caller, 'SUBMITTED', { fromStatus: 'DRAFT', toStatus: 'SUBMITTED' }),
  );
  await entryFiled(deps, submitted);
  await deps.workflow.start(submitted);
  return { ...publicView(submitted), warnings: precheckThresholds(rules.thresholds, application.form) };
}

/**
 * A RETURNED application goes back to the stage that returned it: SUBMITTED (revision + 1)
 * until the workflow, handed the resubmission, enters the stage again. Due by the stage deadline
 * (`dueAt` while RETURNED). A repeated call while the hand-over is pending repeats the hand-over.
 */
async function resubmit(deps: SubmissionDeps, application: ApplicationRecord, campaign: Campaign, caller: Caller) {
  const rules = rulesOf(application, campaign);
  const warnings = precheckThresholds(rules.thresholds, application.form);
  if (awaitsWorkflow(application)) {
    await deps.workflow.resubmitted(application);
    return { ...publicView(application), warnings };
  }
  if (!application.resubmissionToken) {
    // The workflow records the return in two steps; the second follows within moments.
    throw new ConflictError(
      'RESUBMISSION_NOT_READY',
      'The return is still being recorded; try again in a few seconds',
      [
        {
          field: 'status',
          code: 'RESUBMISSION_NOT_READY',
          message: '退回处理中，请稍后重试 / the return is still being recorded, try again shortly',
        },
      ],
    );
  }
  assertTakingApplications(campaign, application.dueAt, deps.clock());
  await assertComplete(deps, application, campaign);
  const now = deps.clock().toISOString();
  const resubmitted: ApplicationRecord = {
    ...application,
    status: 'SUBMITTED',
    revision: application.revision + 1,
    resubmittedAt: now,
    updatedAt: now,
  };
  await deps.records.saveApplication(
    resubmitted,
    application,
    callerAudit(deps, application, caller, 'RESUBMITTED', {
      fromStatus: 'RETURNED',
      toStatus: 'SUBMITTED',
      detail: { stage: application.stage, round: application.round },
    }),
  );
  await deps.workflow.resubmitted(resubmitted);
  return { ...publicView(resubmitted), warnings };
}
