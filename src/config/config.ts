import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';

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
  /** Call fsync after every journal write: survives power loss, not only a killed process. */
  STORE_FSYNC: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** pino level; message texts are never logged at info or above. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Language for a first message whose language cannot be told (e.g. "ok"). */
  DEFAULT_LANGUAGE: z.string().regex(/^[a-z]{2}$/).default('de'),
  /** Chat requests allowed per client IP and minute; 0 disables the limit. */
  CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** Trust X-Forwarded-For from this many proxies (for rate limits behind a reverse proxy). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
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
  /** When advisors take over live (issue #4), e.g. "Mon-Fri 08:00-16:00" or "always". */
  OFFICE_HOURS: z
    .string()
    .regex(/^(always|(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))? \d{2}:\d{2}-\d{2}:\d{2})$/, 'OFFICE_HOURS must be "always" or like "Mon-Fri 08:00-16:00"')
    .default('Mon-Fri 08:00-16:00'),
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
  return {
    ...config,
    DATA_DIR: path.resolve(config.DATA_DIR),
    CONTENT_DIR: path.resolve(config.CONTENT_DIR),
  };
}
