import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { StoreUnavailableError } from '../storage/store';

/** How long a client should wait before retrying while the store is away (the store retries meanwhile). */
const STORE_RETRY_AFTER_SECONDS = '5';

/** body-parser's error types, mapped to the contract's codes. */
const BODY_PARSER_ERRORS: Record<string, AppError['code']> = {
  'entity.too.large': 'payload_too_large',
  'entity.parse.failed': 'invalid_json',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  'request.aborted': 'invalid_body',
  'request.size.invalid': 'invalid_body',
  'stream.encoding.set': 'invalid_body',
};

export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('not_found'));

/** The one place errors become HTTP answers: `{ "error": { "code", "message" } }`. */
export function errorHandler(logger: Logger, onStoreUnavailable: () => void = () => undefined): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (error && typeof error.type === 'string' && BODY_PARSER_ERRORS[error.type]) appError = new AppError(BODY_PARSER_ERRORS[error.type]);
    else if (error instanceof StoreUnavailableError) {
      logger.warn({ route: req.route?.path, method: req.method }, 'store unavailable');
      onStoreUnavailable();
      appError = new AppError('store_unavailable', undefined, undefined, { 'Retry-After': STORE_RETRY_AFTER_SECONDS });
    } else if (error instanceof URIError) appError = new AppError('invalid_query', 'The URL is malformed.');
    else {
      logger.error({ err: { name: error?.name, message: error?.message, stack: error?.stack }, route: req.route?.path, method: req.method }, 'unhandled error');
      appError = new AppError('internal');
    }
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
    const body: { code: string; message: string; details?: unknown } = { code: appError.code, message: appError.message };
    if (appError.details !== undefined) body.details = appError.details;
    res.status(appError.status).json({ error: body });
  };
}
