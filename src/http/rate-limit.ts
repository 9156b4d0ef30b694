import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors/app-error';

/**
 * Fixed-window limit per client IP, in memory (one process). The IP is used only as a map key for
 * one minute and never stored or logged.
 */
export function rateLimitPerIp(limitPerMinute: number): RequestHandler {
  return rateLimitBy(limitPerMinute, (req) => req.ip ?? 'unknown');
}

/**
 * Fixed-window limit per key of the request (an IP, a login email …). Requests without a key are
 * not counted. Keys live in memory for one window only and are never logged.
 */
export function rateLimitBy(limitPerMinute: number, keyOf: (req: Request, res: Response) => string | undefined): RequestHandler {
  if (limitPerMinute <= 0) return (_req, _res, next) => next();
  const windowMs = 60_000;
  let windowStart = Date.now();
  let counts = new Map<string, number>();
  return (req, res, next) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const key = keyOf(req, res);
    if (key === undefined) return next();
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > limitPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
      return next(new AppError('rate_limited', undefined, undefined, { 'Retry-After': String(retryAfter) }));
    }
    next();
  };
}
