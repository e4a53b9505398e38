import { httpHandler } from '../shared/http/handler.ts';

// Review links, decisions, withdrawal, objections and cancellation: see the review-ladder issue.
export const handler = httpHandler({});
