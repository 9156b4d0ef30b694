import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The pages (web chat at /, advisor console at /advisor) load only their own script and styles and
 * talk only to this origin (fetch and the websocket): whatever a person or an advisor wrote can never
 * run as script here, even if a rendering bug let it into the page as markup.
 */
const PAGE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
};

/** helmet's headers for every response, with the page policy above. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES },
    // Nothing cross-origin is embedded; the partner-site widget loads its script from here (#8).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * CORS for the public chat API only (chat, messages, export, erasure, locales): browsers on the
 * listed origins may call it, e.g. the embeddable widget on a partner site. The advisor API is
 * same-origin only and gets no CORS headers. No cookies are used, so credentials stay off.
 */
export function publicApiCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
    credentials: false,
  });
}

/** Paths of the public chat API that `publicApiCors` covers. */
export const PUBLIC_API_PATHS = ['/api/v1/chat', '/api/v1/languages', '/api/v1/locales'];
