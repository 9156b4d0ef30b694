/**
 * One error type for everything the service refuses or fails at, with a stable machine-readable
 * code and the HTTP status it maps to. The catalogue below is the only place codes are defined, so
 * clients can rely on them (see ../shared/CONTRACT.md for the error body).
 */
export const ErrorCatalogue = {
  invalid_body: { status: 400, message: 'The request body is invalid.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_query: { status: 400, message: 'The query string is invalid.' },
  invalid_session_id: { status: 400, message: 'The session id is invalid.' },
  unauthorized: { status: 401, message: 'A valid bearer token is required.' },
  invalid_credentials: { status: 401, message: 'The email or the password is wrong.' },
  forbidden: { status: 403, message: 'This token may not use this route.' },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  conflict: { status: 409, message: 'The request conflicts with the current state of the resource.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The request body must be JSON (Content-Type: application/json).' },
  rate_limited: { status: 429, message: 'Too many requests. Please wait and try again.' },
  not_ready: { status: 503, message: 'The service is starting or its store is unavailable.' },
  store_unavailable: { status: 503, message: 'The data store is not reachable right now. Nothing was saved; please try again shortly.' },
  internal: { status: 500, message: 'Internal error.' },
} as const;

export type ErrorCode = keyof typeof ErrorCatalogue;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? ErrorCatalogue[code].message);
    this.name = 'AppError';
    this.status = ErrorCatalogue[code].status;
  }
}

/** Raised at start-up for configuration or content that makes the service unusable. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
