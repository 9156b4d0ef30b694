import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { TokenSigner } from '../advisors/tokens';
import type { ServiceMetrics } from '../observability/metrics';
import type { AdvisorRepository } from '../storage/store';
import { authenticateAdvisor, requireRole } from './advisor-auth.middleware';
import { route } from './validation';

export interface MetricsRouteDeps {
  metrics: ServiceMetrics;
  /** METRICS_TOKEN: what a Prometheus scraper sends as its bearer token. */
  token?: string;
  signer: TokenSigner;
  advisors: AdvisorRepository;
}

/**
 * `GET /metrics` in Prometheus text format. Counts and timings only, but they still tell how the
 * service is used, so the route needs the scraper's METRICS_TOKEN or an admin's token.
 */
export function metricsRoutes(deps: MetricsRouteDeps): Router {
  const router = Router();
  const adminOnly = [authenticateAdvisor(deps.signer, deps.advisors), requireRole('admin')];
  const scraperOrAdmin: RequestHandler = (req, res, next) => {
    if (deps.token && bearerMatches(req.get('authorization'), deps.token)) return next();
    // Not the scraper: an admin token or 401/403, like every other protected route.
    adminOnly[0](req, res, (error?: unknown) => (error ? next(error) : adminOnly[1](req, res, next)));
  };
  router.get(
    '/metrics',
    scraperOrAdmin,
    route(async (_req, res) => {
      res.set('Content-Type', deps.metrics.registry.contentType);
      res.set('Cache-Control', 'no-store');
      res.send(await deps.metrics.registry.metrics());
    }),
  );
  return router;
}

/** Compared as hashes in constant time, so response timing does not leak the token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
