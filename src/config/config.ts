import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';
import { OfficeHours } from '../escalation/office-hours';
import { WEBHOOK_EVENT_TYPES } from '../notifications/webhook';

/** Days after its last message that a conversation is erased (RETENTION_DAYS); the privacy answer names it. */
export const DEFAULT_RETENTION_DAYS = 90;

/** Undefined for text that is no URL, so the refinements below report instead of throwing. */
function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * The one configuration schema. Nothing else in the service reads `process.env`: every setting has
 * its documentation, default and validation here (listed in the README and `.env.example`).
 */
const schema = z.object({
  /** HTTP port for the API, the web chat and the websocket. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Directory of the embedded store (used when MONGODB_URI is not set). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** MongoDB connection string; when set, MongoDB is used instead of the embedded store (issue #5). */
  MONGODB_URI: z.string().url().optional(),
  /**
   * Conversations, their messages, dialog state and escalations are deleted this many days after
   * their last activity (GDPR storage limitation; issue #5). MongoDB also gets TTL indexes for it.
   */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS),
  /** Call fsync after every journal write: survives power loss, not only a killed process. */
  STORE_FSYNC: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** pino level; message texts are never logged at info or above. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Language for a first message whose language cannot be told (e.g. "ok"). */
  DEFAULT_LANGUAGE: z.string().regex(/^[a-z]{2}$/).default('de'),
  /** Chat requests allowed per client IP and minute; 0 disables the limit. */
  CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** Chat requests allowed per session and minute (on top of the per-IP limit); 0 disables it. */
  SESSION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Requests per advisor account and minute on the advisor API; 0 disables the limit. */
  ADVISOR_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /** Failed logins in a row after which an account's login is locked for LOGIN_LOCKOUT_MINUTES. */
  LOGIN_LOCKOUT_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /**
   * Web origins allowed to call the public chat API from a browser (the embeddable widget on a partner
   * site), comma-separated, e.g. "https://www.zemigra.de,https://partner.example". Empty: same origin only.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => [...new Set(v.split(',').map((o) => o.trim()).filter(Boolean))])
    .pipe(
      z.array(
        z.string().refine((o) => {
          const url = parsedUrl(o);
          return Boolean(url && /^https?:$/.test(url.protocol) && url.origin === o);
        }, 'CORS_ORIGINS must list origins like https://example.org (scheme and host, no path or trailing slash)'),
      ),
    ),
  /**
   * Bearer token for GET /metrics (Prometheus), at least 32 characters. Unset: /metrics needs an
   * admin token.
   */
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must have at least 32 characters').optional(),
  /** Trust X-Forwarded-For from this many proxies (for rate limits behind a reverse proxy). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Where the trained NLU model is cached between starts (keyed by a fingerprint of content and
   * code, so stale models are never used); "off" trains at every start.
   */
  NLU_CACHE_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'zemigra-nlu-cache')),
  /**
   * How far V8 may grow its heap beyond the live data before it collects (V8's heap_growing_percent).
   * Under steady chat traffic V8's own choice lets the heap reach four to six times the live data
   * (RSS 450–650 MB); 30 keeps RSS near 250 MB for about a sixth more CPU per message. 0: V8's default.
   */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000).default(30),
  /** Where content lives; overridable for tests and for benchmarks on other data. */
  CONTENT_DIR: z.string().min(1).default('.'),
  /** First admin (issue #4); both or neither. */
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must have at least 12 characters').optional(),
  /**
   * Key for advisor tokens (HMAC-SHA256), at least 32 characters. Unset: a random key per start, so
   * advisors log in again after every restart.
   */
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must have at least 32 characters').optional(),
  /** Lifetime of an advisor token; short, because a stolen token cannot be revoked before it expires. */
  ADVISOR_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Advisor login attempts per minute, counted per client IP and per email; 0 disables the limit. */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** When advisors take over live (issue #4), Europe/Berlin: "always", "Mon-Fri 08:00-16:00", or ranges joined by ";". */
  OFFICE_HOURS: z
    .string()
    .superRefine((spec, ctx) => {
      try {
        OfficeHours.parse(spec);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `OFFICE_HOURS: ${(error as Error).message}` });
      }
    })
    .default('Mon-Fri 08:00-16:00'),
  /**
   * Outgoing webhook for new escalations (issue #4). Credentials in the URL are refused: Node's fetch
   * rejects them, and a token belongs in the path or query (the logs show the host only).
   */
  WEBHOOK_URL: z
    .string()
    .refine((v) => /^https?:$/.test(parsedUrl(v)?.protocol ?? ''), 'WEBHOOK_URL must be an http(s) URL')
    .refine((v) => !parsedUrl(v)?.username && !parsedUrl(v)?.password, 'WEBHOOK_URL must not contain user:password (put a token in the path or query)')
    .optional(),
  /** HMAC-SHA256 key for x-zemigra-signature; required with WEBHOOK_URL. */
  WEBHOOK_SECRET: z.string().min(32, 'WEBHOOK_SECRET must have at least 32 characters').optional(),
  /** Comma list of escalation events the webhook sends. */
  WEBHOOK_EVENTS: z
    .string()
    .default('escalation.created')
    .transform((v) => [...new Set(v.split(',').map((e) => e.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(WEBHOOK_EVENT_TYPES, { message: `WEBHOOK_EVENTS may list ${WEBHOOK_EVENT_TYPES.join(', ')}` })).min(1, 'WEBHOOK_EVENTS must name at least one event')),
});

export type Config = Omit<z.infer<typeof schema>, 'DATA_DIR' | 'CONTENT_DIR'> & {
  DATA_DIR: string;
  CONTENT_DIR: string;
};

/** Parses and validates the environment. Throws a StartupError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new StartupError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
    throw new StartupError('Invalid configuration:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (config.WEBHOOK_URL && !config.WEBHOOK_SECRET) {
    throw new StartupError('Invalid configuration:\n  WEBHOOK_SECRET (at least 32 characters) is required when WEBHOOK_URL is set');
  }
  return {
    ...config,
    DATA_DIR: path.resolve(config.DATA_DIR),
    CONTENT_DIR: path.resolve(config.CONTENT_DIR),
  };
}
