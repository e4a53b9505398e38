import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * HTML forms (the review page's decision, the console's sign-in) post
 * `application/x-www-form-urlencoded`; the operations read JSON. These read a form's text off an
 * HTTP API event so a handler can hand its fields on as a JSON body.
 */
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\b/i;

/** A header's value, whatever the case of its name (`name` in lower case). */
export const headerIn = (headers: Record<string, string | undefined>, name: string): string | undefined =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];

/** A header of a payload 2.0 event, whatever its case. */
export const headerOf = (event: APIGatewayProxyEventV2, name: string): string | undefined =>
  headerIn(event.headers ?? {}, name);

/** Whether a request's body came from an HTML form (its fields now the JSON body an operation reads). */
export const isFormPost = (headers: Record<string, string | undefined>): boolean =>
  FORM_CONTENT_TYPE.test(headerIn(headers, 'content-type') ?? '');

/** The form's text when the event carries a form body, else undefined. */
export function formText(event: APIGatewayProxyEventV2): string | undefined {
  if (typeof event.body !== 'string' || !FORM_CONTENT_TYPE.test(headerOf(event, 'content-type') ?? ''))
    return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** The event with its body replaced by the JSON of `fields` (what httpHandler reads). */
export const withJsonBody = (
  event: APIGatewayProxyEventV2,
  fields: Record<string, unknown>,
): APIGatewayProxyEventV2 => ({
  ...event,
  body: JSON.stringify(fields),
  isBase64Encoded: false,
});
