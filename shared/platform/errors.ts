/**
 * Typed domain errors. Handlers never build error responses themselves: the one error mapper
 * in shared/platform/http/respond.ts turns these into HTTP statuses and the public error JSON.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field or checklist item, e.g. `form.outputByYear.0.output`. */
  field?: string;
  code: string;
  message: string;
  [extra: string]: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed; `details` names each bad field. */
export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code = 'VALIDATION_FAILED';
}

/** 400: a GB/T 2260 code that names no jurisdiction known to the programme. */
export class UnknownJurisdictionError extends DomainError {
  readonly status = 400;
  readonly code = 'UNKNOWN_JURISDICTION';
  constructor(readonly jurisdictionCode: string) {
    super(`Unknown jurisdiction code ${jurisdictionCode}`, [
      {
        field: 'code',
        code: 'UNKNOWN_JURISDICTION',
        message: `no jurisdiction has code ${jurisdictionCode}`,
      },
    ]);
  }
}

/** 404: the addressed resource does not exist. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

/** 409: the request conflicts with the current state (late, already submitted, incomplete, taken). */
export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
    details?: ErrorDetail[],
  ) {
    super(message, details);
  }
}

/**
 * 429: this client (a signed-in person, or a source address) asked too often; try again after
 * `retryAfterSeconds` (the mapper sends it as Retry-After).
 */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests from this client',
    details?: ErrorDetail[],
  ) {
    super(message, details);
  }
}
