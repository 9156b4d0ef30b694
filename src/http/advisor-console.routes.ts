import { Router } from 'express';

/**
 * The advisor console shows what people and advisors wrote; should a text ever slip into the page as
 * markup, this policy keeps it from running script, loading from elsewhere or sending data away.
 */
export const ADVISOR_CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers for the static console under /advisor (the files themselves are served by express.static
 * of public/, mounted after this router). `/advisor` without the slash is redirected here rather than
 * left to serve-static, so relative asset URLs resolve the same way in every deployment.
 */
export function advisorConsoleRoutes(): Router {
  const router = Router();
  router.get('/advisor', (req, res, next) => {
    // Express matches /advisor/ here too (non-strict routing); only the bare path needs the redirect.
    if (req.path.endsWith('/')) return next();
    res.redirect(301, '/advisor/');
  });
  router.use('/advisor', (_req, res, next) => {
    res.setHeader('content-security-policy', ADVISOR_CONSOLE_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    next();
  });
  return router;
}
