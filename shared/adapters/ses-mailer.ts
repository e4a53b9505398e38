import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Email, Mailer } from '../ports/core.ts';
import { emitMetric, METRIC } from '../platform/metrics.ts';

/** SES v2 in AWS; aws-ses-v2-local in `npm start` (same client, endpoint from the environment). */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(email: Email): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: email.to },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              ...(email.html ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}),
            },
          },
        },
      }),
    );
    // Counted once SES has accepted the email; emitted at once (no flush), and never throws.
    emitMetric(METRIC.emailsSent);
    return { messageId: result.MessageId ?? '' };
  }
}
