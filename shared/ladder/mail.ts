import * as z from 'zod';
import { beijingMinutes } from '../platform/time.ts';
import { bilingualHalves, STAGE_WORDS } from '../platform/words.ts';
import { findJurisdiction } from '../rules/jurisdictions.ts';
import type { Bilingual } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { StageName } from './contract.ts';
import type { Email } from '../ports/core.ts';

/**
 * The emails the review ladder sends to the applicant (the county's contact person): every one
 * bilingual, Chinese first, naming the cluster, the stage, the deadline and the reason.
 * Reviewers' emails (with the review link) belong to the review desk.
 */

export type ApplicantNoticeKind =
  | 'RETURNED'
  | 'REJECTED'
  | 'OVERDUE'
  | 'CANCELLED'
  | 'WITHDRAWN'
  | 'PUBLIC_NOTICE'
  | 'RECOGNIZED'
  | 'SELECTED'
  | 'NOT_SELECTED'
  | 'PROVINCIALLY_RECOGNIZED';

export interface ApplicantNotice {
  kind: ApplicantNoticeKind;
  application: ApplicationRecord;
  stage: StageName;
  /** Who reviews at that stage (延边朝鲜族自治州, 吉林省, 工业和信息化部). */
  jurisdictionName: string;
  /** The stage deadline. */
  deadline: string;
  reason?: string;
  noticeEndsAt?: string;
  validUntil?: string;
}

const ContactEmailSchema = z.object({ contact: z.object({ email: z.email() }) });

/** The form's contact address, if the county gave one. */
export function contactEmailOf(application: ApplicationRecord): string | undefined {
  const parsed = ContactEmailSchema.safeParse(application.form);
  return parsed.success ? parsed.data.contact.email : undefined;
}

type Texts = { subject: Bilingual; body: Bilingual };

function texts(notice: ApplicantNotice): Texts {
  const { application, reason } = notice;
  const stage = STAGE_WORDS[notice.stage].applicant;
  const where = {
    zh: `${notice.jurisdictionName}${stage.zh}`,
    en: `the ${stage.en} (${notice.jurisdictionName})`,
  };
  const deadline = beijingMinutes(notice.deadline);
  // A reviewer's own words are the same in both halves of the email.
  const halves = reason === undefined ? undefined : (bilingualHalves(reason) ?? { zh: reason, en: reason });
  const because = halves ? { zh: `\n原因：${halves.zh}`, en: `\nReason: ${halves.en}` } : { zh: '', en: '' };
  const rereview = application.track === 'rereview';

  switch (notice.kind) {
    case 'RETURNED':
      return {
        subject: { zh: '申报材料退回修改', en: 'Application returned for revision' },
        body: {
          zh: `申报材料在${where.zh}环节被退回修改。${because.zh}\n请在 ${deadline}（北京时间）前修改并重新提交，逾期不予受理。`,
          en: `The application was returned for revision at ${where.en}.${because.en}\nPlease revise and resubmit it before ${deadline} Beijing time; late resubmissions are not accepted.`,
        },
      };
    case 'REJECTED':
      return rereview
        ? {
            subject: { zh: '复核未通过，撤销认定', en: 'Re-review failed: recognition revoked' },
            body: {
              zh: `集群复核在${where.zh}环节未通过，撤销其中小企业特色产业集群认定。${because.zh}`,
              en: `The cluster did not pass its re-review at ${where.en}; its recognition is revoked.${because.en}`,
            },
          }
        : {
            subject: { zh: '申报未通过审核', en: 'Application not approved' },
            body: {
              zh: `申报在${where.zh}环节未通过。${because.zh}`,
              en: `The application was not approved at ${where.en}.${because.en}`,
            },
          };
    case 'OVERDUE':
      return {
        subject: { zh: '逾期不予受理', en: 'Deadline passed: not accepted' },
        body: {
          // What is left to the county, and whom to ask: late material is not accepted, so no
          // resubmission, appeal or extension is offered here; the level of that stage answers.
          zh: `${where.zh}环节的截止时间 ${deadline}（北京时间）已过，申报逾期不予受理。${because.zh}\n本申报在本次活动中已终止，不能再修改或提交；申报表和办理记录仍可在申报门户查看、打印。如有疑问，请联系${notice.jurisdictionName}中小企业主管部门。`,
          en: `The deadline of ${where.en}, ${deadline} Beijing time, has passed; the application can no longer be accepted.${because.en}\nThe application has ended in this campaign: it can no longer be changed or submitted, but its form and its record stay on the applicant portal to read and print. For questions, contact the SME authority of ${notice.jurisdictionName}.`,
        },
      };
    case 'CANCELLED':
      return {
        subject: { zh: '取消申报资格', en: 'Application cancelled' },
        body: {
          zh: `经查实申报存在虚假或隐瞒情况，取消其申报资格（${where.zh}环节）。${because.zh}`,
          en: `False or concealed information was confirmed; the application is cancelled (at ${where.en}).${because.en}`,
        },
      };
    case 'WITHDRAWN':
      return {
        subject: { zh: '申报已撤回', en: 'Application withdrawn' },
        body: {
          zh: `申报已在${where.zh}环节撤回。${because.zh}`,
          en: `The application was withdrawn at ${where.en}.${because.en}`,
        },
      };
    case 'SELECTED':
      return {
        subject: { zh: '入选典型案例', en: 'Selected as a typical case' },
        body: {
          zh: '经工业和信息化部审核，案例入选中小企业特色产业集群典型案例。典型案例不设有效期，无需报送年度报告。',
          en: 'MIIT selected the case as a typical case of SME characteristic industrial clusters. A typical case has no validity period and no annual report.',
        },
      };
    case 'NOT_SELECTED':
      return {
        subject: { zh: '典型案例未入选', en: 'Typical case not selected' },
        body: {
          zh: `经工业和信息化部审核，案例未入选中小企业特色产业集群典型案例。${because.zh}`,
          en: `MIIT did not select the case as a typical case of SME characteristic industrial clusters.${because.en}`,
        },
      };
    case 'PUBLIC_NOTICE': {
      const until = beijingMinutes(notice.noticeEndsAt ?? notice.deadline);
      return {
        subject: { zh: '进入公示', en: 'Public notice started' },
        // The level that holds the notice (Shanxi's province, or MIIT where a campaign puts one there).
        body:
          notice.stage === 'miit'
            ? {
                zh: `${notice.jurisdictionName}审核通过，现进入公示，公示期至 ${until}（北京时间）。公示期内无异议的，予以认定。`,
                en: `${notice.jurisdictionName} approved the application; it is now on public notice until ${until} Beijing time. Without objections it will then be recognised.`,
              }
            : {
                zh: `${notice.jurisdictionName}审核通过，现进入公示，公示期至 ${until}（北京时间）。公示期满无异议的，按通知继续办理。`,
                en: `${notice.jurisdictionName} approved the application; it is now on public notice until ${until} Beijing time. Without upheld objections it then goes on as the notice provides.`,
              },
      };
    }
    case 'PROVINCIALLY_RECOGNIZED': {
      const until = notice.validUntil ? beijingMinutes(notice.validUntil) : '';
      return {
        subject: { zh: '认定为省级中小企业特色产业集群', en: 'Recognised on the provincial list' },
        body: {
          zh: `${notice.jurisdictionName}认定为省级中小企业特色产业集群，有效期至 ${until}（北京时间）。本次未推荐申报国家级，不占用推荐工业和信息化部名额。`,
          en: `${notice.jurisdictionName} recognised the cluster on its provincial list, valid until ${until} Beijing time. It was not recommended for national status this year and takes none of the province's places for MIIT.`,
        },
      };
    }
    case 'RECOGNIZED': {
      const until = notice.validUntil ? beijingMinutes(notice.validUntil) : '';
      return rereview
        ? {
            subject: { zh: '复核通过，保留认定', en: 'Re-review passed: recognition retained' },
            body: {
              zh: `复核通过，保留中小企业特色产业集群认定，有效期至 ${until}（北京时间）。`,
              en: `The cluster passed its re-review and keeps its recognition, valid until ${until} Beijing time.`,
            },
          }
        : {
            subject: { zh: '认定为中小企业特色产业集群', en: 'Recognised as an SME characteristic industrial cluster' },
            body: {
              zh: `公示期满无异议，认定为中小企业特色产业集群，有效期至 ${until}（北京时间），实行动态管理。`,
              en: `The notice period ended without objections; the cluster is recognised as an SME characteristic industrial cluster, valid until ${until} Beijing time, under dynamic management.`,
            },
          };
    }
  }
}

/** The email for one notice to the applicant's contact address. */
export function applicantEmail(notice: ApplicantNotice, to: string): Email {
  const { application } = notice;
  const { subject, body } = texts(notice);
  const county = findJurisdiction(application.countyCode)?.name ?? application.countyCode;
  const heading = {
    zh: `${application.clusterName}（${county}）`,
    en: `${application.clusterName} (${county}), application ${application.applicationId}`,
  };
  return {
    to: [to],
    subject: `【中小企业特色产业集群】${application.clusterName}：${subject.zh} / ${subject.en}`,
    text: [
      heading.zh,
      body.zh,
      '',
      '——',
      '',
      heading.en,
      body.en,
      '',
      '本邮件由系统自动发送。 / This email was sent automatically.',
    ].join('\n'),
  };
}
