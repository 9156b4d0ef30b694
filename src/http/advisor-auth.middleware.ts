import type { RequestHandler, Response } from 'express';
import type { TokenClaims, TokenSigner } from '../advisors/tokens';
import { AppError } from '../errors/app-error';
import type { Advisor, AdvisorRepository, AdvisorRole } from '../storage/store';

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{1,100})$/;

/**
 * 401 unless the request carries a genuine, unexpired advisor token whose account exists and is
 * enabled. The account is loaded on every request, so disabling an advisor (or changing a role)
 * takes effect at once although tokens are stateless.
 */
export function authenticateAdvisor(signer: TokenSigner, advisors: AdvisorRepository): RequestHandler {
  return (req, res, next) => {
    const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
    const claims = token ? signer.verify(token) : null;
    if (!claims) return next(new AppError('unauthorized'));
    advisors
      .get(claims.sub)
      .then((advisor) => {
        if (!advisor || advisor.disabled || issuedBeforeValid(claims, advisor)) return next(new AppError('unauthorized'));
        res.locals.advisor = advisor;
        next();
      })
      .catch(next);
  };
}

/** Whether the token is older than the account's `tokensValidFrom`. */
function issuedBeforeValid(claims: TokenClaims, advisor: Advisor): boolean {
  return advisor.tokensValidFrom !== undefined && (claims.issuedAt ?? 0) < Date.parse(advisor.tokensValidFrom);
}

/** 403 for an authenticated advisor whose current role may not use the route. */
export function requireRole(...roles: AdvisorRole[]): RequestHandler {
  return (_req, res, next) => {
    next(roles.includes(currentAdvisor(res).role) ? undefined : new AppError('forbidden'));
  };
}

/** The advisor `authenticateAdvisor` attached to this request. */
export function currentAdvisor(res: Response): Advisor {
  const advisor = res.locals.advisor as Advisor | undefined;
  if (!advisor) throw new AppError('unauthorized');
  return advisor;
}
