import { Router } from 'express';
import type { AdvisorAccounts } from '../advisors/accounts';
import type { AuditLog } from '../advisors/audit';
import type { LoginLockout } from '../advisors/login-lockout';
import type { AdvisorPresence } from '../advisors/presence';
import type { AnalyticsService } from '../analytics/analytics.service';
import type { TokenSigner } from '../advisors/tokens';
import type { EscalationEvents } from '../escalation/escalation-events';
import type { EscalationService } from '../escalation/escalation.service';
import type { AdvisorRepository, AuditRepository } from '../storage/store';
import { adminRoutes } from './advisors.routes';
import { authenticateAdvisor, currentAdvisor } from './advisor-auth.middleware';
import { analyticsRoutes } from './analytics.routes';
import { advisorEventRoutes } from './advisor-events.routes';
import { authRoutes } from './auth.routes';
import { escalationRoutes } from './escalations.routes';
import { adminConversationRoutes, type AdminConversationRouteDeps } from './privacy.routes';
import { rateLimitBy, rateLimitPerIp } from './rate-limit';

export interface AdvisorRouteDeps {
  accounts: AdvisorAccounts;
  advisors: AdvisorRepository;
  audit: AuditRepository;
  /** Admin export and erasure of a person's conversation. */
  privacy: AdminConversationRouteDeps;
  escalations: EscalationService;
  events: EscalationEvents;
  presence: AdvisorPresence;
  analytics: AnalyticsService;
  signer: TokenSigner;
  loginRateLimitPerMinute: number;
  lockout: LoginLockout;
  /** Records what advisors do (src/advisors/audit.ts). */
  auditLog: AuditLog;
  /** Requests per minute per advisor account (and per IP, so many tokens from one place count too). */
  advisorRateLimitPerMinute: number;
}

/** Path prefixes that need an advisor token: 401 comes before anything else, even before a 404. */
const PROTECTED = ['/api/v1/auth/me', '/api/v1/advisors', '/api/v1/audit', '/api/v1/escalations', '/api/v1/advisor', '/api/v1/analytics', '/api/v1/admin'];

/** The advisor side of the contract ("Advisors" in CONTRACT.md): login, accounts, audit, escalations, admin data-protection routes. */
export function advisorRoutes(deps: AdvisorRouteDeps): Router {
  const router = Router();
  router.use(
    PROTECTED,
    rateLimitPerIp(deps.advisorRateLimitPerMinute),
    authenticateAdvisor(deps.signer, deps.advisors),
    rateLimitBy(deps.advisorRateLimitPerMinute, (_req, res) => currentAdvisor(res).id),
  );
  router.use(authRoutes(deps));
  router.use(adminRoutes(deps));
  router.use(escalationRoutes(deps.escalations));
  router.use(advisorEventRoutes(deps.events, deps.presence));
  router.use(analyticsRoutes(deps.analytics));
  router.use(adminConversationRoutes(deps.privacy));
  return router;
}
