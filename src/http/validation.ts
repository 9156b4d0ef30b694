import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { SESSION_ID } from '../channels/inbound';
import { AppError, type ErrorCode } from '../errors/app-error';

/** Parses a value with a schema or throws the contract's 400 with the first problems listed. */
export function parseOr400<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, code: ErrorCode = 'invalid_body'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError(code, details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '), details);
}

/** 415 unless the body is declared as JSON (checked before parsing, so nothing else is read). */
export const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : new AppError('unsupported_media_type'));
};

/**
 * 415 unless declared JSON, then parsed with a size limit. The parser takes any content type
 * because `requireJson` already decided: "application/json; charset=utf-8" and friends all pass.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [requireJson, express.json({ limit: limitBytes, strict: true, type: () => true })];
}

/** Ids of stored records (advisors, escalations) in a path; anything else cannot exist: 404. */
export const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;

export function recordId(raw: string, what: string): string {
  if (!RECORD_ID.test(raw)) throw new AppError('not_found', `No ${what} with this id.`);
  return raw;
}

const sessionIdSchema = z.string().regex(SESSION_ID, 'sessionId must be 8–128 of A-Z a-z 0-9 _ -');

/** A person's session id in a path: 400 `invalid_session_id` for anything that cannot be one. */
export function sessionIdParam(raw: string): string {
  return parseOr400(sessionIdSchema, raw, 'invalid_session_id');
}

/** Wraps an async route so its errors reach the error middleware (express 4 does not). */
export function route(handler: (...args: Parameters<RequestHandler>) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}
