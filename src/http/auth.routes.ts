import { Router } from 'express';
import { z } from 'zod';
import type { AdvisorAccounts } from '../advisors/accounts';
import type { LoginLockout } from '../advisors/login-lockout';
import type { TokenSigner } from '../advisors/tokens';
import { AppError } from '../errors/app-error';
import { currentAdvisor } from './advisor-auth.middleware';
import { rateLimitBy, rateLimitPerIp } from './rate-limit';
import { jsonBody, parseOr400, route } from './validation';

const LOGIN_BODY_BYTES = 4 * 1024;

const loginSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('email must be an email address').max(254),
    // Upper bound only against abuse; the KDF takes any length.
    password: z.string().min(1, 'password is required').max(1024),
  })
  .strict();

export interface AuthRouteDeps {
  accounts: AdvisorAccounts;
  signer: TokenSigner;
  /** Login attempts per minute, counted per client IP and per email separately; 0 = off. */
  loginRateLimitPerMinute: number;
  lockout: LoginLockout;
}

/**
 * `POST /api/v1/auth/login` and `GET /api/v1/auth/me` (the latter behind the advisor authentication
 * mounted by advisorRoutes). Wrong email and wrong password get the same 401, so the route does not
 * tell which accounts exist; both limits make password guessing slow (per IP against one guesser,
 * per email against many IPs aiming at one account).
 */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const perEmail = rateLimitBy(deps.loginRateLimitPerMinute, (req) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
  });

  router.post(
    '/api/v1/auth/login',
    rateLimitPerIp(deps.loginRateLimitPerMinute),
    ...jsonBody(LOGIN_BODY_BYTES),
    perEmail,
    route(async (req, res) => {
      const input = parseOr400(loginSchema, req.body);
      // Checked before the password: while locked, even the right password is refused.
      const lockedMs = deps.lockout.lockedFor(input.email);
      if (lockedMs > 0) throw lockedError(lockedMs);
      const advisor = await deps.accounts.authenticate(input.email, input.password);
      if (!advisor) {
        if (deps.lockout.recordFailure(input.email)) {
          await deps.accounts.recordLockout(input.email);
          throw lockedError(deps.lockout.lockedFor(input.email));
        }
        throw new AppError('invalid_credentials');
      }
      deps.lockout.recordSuccess(input.email);
      const issued = deps.signer.sign(advisor);
      res.json({ token: issued.token, expiresAt: issued.expiresAt, advisor: { id: advisor.id, name: advisor.name, role: advisor.role } });
    }),
  );

  router.get('/api/v1/auth/me', (_req, res) => {
    const advisor = currentAdvisor(res);
    res.json({ advisor: { id: advisor.id, email: advisor.email, name: advisor.name, role: advisor.role } });
  });

  return router;
}

function lockedError(ms: number): AppError {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return new AppError('rate_limited', `Too many failed logins for this account. Try again in ${minutes} minute(s).`, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))),
  });
}
