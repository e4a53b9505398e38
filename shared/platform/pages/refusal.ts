/**
 * What a refused request's page says, wherever it is drawn: the console's and the portal's problem
 * page (layout.ts), the review link's answer page (shared/review/answer-page.ts) and the expert
 * panel's refusal (shared/review/panel/page.ts). One rule, each page keeping its own frame and
 * drawing the lines its own way.
 */

/**
 * The details alone where there are some: each says, for people, what to mend (`姓名为必填项 /
 * your name is required`). The message is the API's one line for developers (English, field
 * paths: `Invalid request: name`, `A county of 220102 may not …`), shown only where no detail
 * explains the refusal.
 */
export type RefusalText<D> = { details: readonly D[]; message?: undefined } | { details?: undefined; message: string };

export function refusalText<D extends { message: string }>(
  message: string,
  details: readonly D[] | undefined,
): RefusalText<D> {
  return details?.length ? { details } : { message };
}
