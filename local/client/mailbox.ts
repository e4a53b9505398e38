/**
 * The local SES stand-in's mailbox (aws-ses-v2-local: `GET /store` lists what was sent), and the
 * review links in its emails: how reviewers, tests and the demo take a link from their email.
 */

/** One email as aws-ses-v2-local's GET /store lists it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Seconds since the epoch. */
  at: number;
}

/** A review link in an email: the whole URL, the review id and the secret. */
export const REVIEW_LINK = /(https?:\/\/[^\s"<>]+\/v1\/reviews\/([^?\s"<>]+)\?t=([A-Za-z0-9_-]+))/;

export interface ReviewLink {
  url: string;
  reviewId: string;
  secret: string;
}

/** The review link in an email's text, if it has one. */
export function reviewLinkIn(email: Pick<StoredEmail, 'body'> | undefined): ReviewLink | undefined {
  const match = REVIEW_LINK.exec(email?.body.text ?? '');
  if (!match) return undefined;
  const [, url = '', reviewId = '', secret = ''] = match;
  return { url, reviewId: decodeURIComponent(reviewId), secret };
}

/**
 * Where the mailbox is: the inbox's URL, or a local stack (its `endpoints.inbox`: the SMTP
 * stand-in's inbox under `--mailer smtp`, else the SES endpoint, whose `/store` is the same shape).
 */
export type Mailbox = string | { endpoints: { ses: string; inbox?: string } };

/** Mail "sent" through the local SES (or received by the SMTP stand-in), oldest first; `since` (epoch seconds) keeps only the newer. */
export async function sentEmails(mailbox: Mailbox, since?: number): Promise<StoredEmail[]> {
  const base = (typeof mailbox === 'string' ? mailbox : (mailbox.endpoints.inbox ?? mailbox.endpoints.ses)).replace(
    /\/+$/,
    '',
  );
  const response = await fetch(`${base}/store${since === undefined ? '' : `?since=${since}`}`);
  if (!response.ok) throw new Error(`GET ${base}/store answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails;
}

/** `<applicationId>.<stage>.<revision>.<round>[.<step>]`: the parts a review id is made of. */
const REVIEW_ID = /^([0-9a-f-]{36})\.(city|province|miit)\.(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * The newest review link for an application's stage (and round, and step of the stage's
 * sequence, when given) among `emails`. Step 0 (the stage's first step) has no step suffix.
 */
export function latestReviewLink(
  emails: readonly StoredEmail[],
  applicationId: string,
  stage: string,
  round?: number,
  step?: number,
): (ReviewLink & { email: StoredEmail }) | undefined {
  for (const email of [...emails].reverse()) {
    const link = reviewLinkIn(email);
    const parts = link && REVIEW_ID.exec(link.reviewId);
    if (!link || !parts || parts[1] !== applicationId.toLowerCase() || parts[2] !== stage) continue;
    if (round !== undefined && Number(parts[4]) !== round) continue;
    if (step !== undefined && Number(parts[5] ?? 0) !== step) continue;
    return { ...link, email };
  }
  return undefined;
}
