import { Router } from 'express';
import { z } from 'zod';
import { resolvePeriod, type AnalyticsService } from '../analytics/analytics.service';
import { AppError } from '../errors/app-error';
import { requireRole } from './advisor-auth.middleware';
import { parseOr400, route } from './validation';

/** A real calendar date: the pattern alone would let 2026-02-30 through. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const parsed = new Date(`${s}T00:00:00.000Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(s);
  }, 'must be an existing date');

const querySchema = z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict();

/** Admin only: usage, fallback and handover figures (AnalyticsReport) for a period of UTC days. */
export function analyticsRoutes(analytics: AnalyticsService, now: () => Date = () => new Date()): Router {
  const router = Router();

  router.get(
    '/api/v1/analytics',
    requireRole('admin'),
    route(async (req, res) => {
      const query = parseOr400(querySchema, req.query, 'invalid_query');
      const period = resolvePeriod(query, now());
      if (!period) throw new AppError('invalid_query', 'from must not be after to.');
      // Figures about people's conversations: not for shared caches.
      res.set('Cache-Control', 'no-store');
      res.json(await analytics.report(period));
    }),
  );

  return router;
}
