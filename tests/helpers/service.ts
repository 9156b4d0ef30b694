import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { createLogger, type Logger } from '../../src/logging/logger';
import { createService, loadBrain, type Service, type ServiceOptions } from '../../src/service';
import { closeAfterFile, removeAfterFile } from './after-file';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface RunningService {
  service: Service;
  baseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Tests send many messages per session and minute from one IP; the per-session, per-advisor and
 * lock-out limits are off unless a test sets them (tests/http/security.test.ts does, with the defaults).
 */
const UNLIMITED = { SESSION_RATE_LIMIT_PER_MINUTE: '0', ADVISOR_RATE_LIMIT_PER_MINUTE: '0', LOGIN_LOCKOUT_FAILURES: '100' };

/** The real service on a free port with a fresh data directory; silent unless a logger is given. */
export async function startService(env: Record<string, string> = {}, options: ServiceOptions = {}, logger: Logger = createLogger('silent')): Promise<RunningService> {
  const dataDir = env.DATA_DIR ?? removeAfterFile(fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-test-')));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_DIR: ROOT, LOG_LEVEL: 'silent', ...UNLIMITED, ...env });
  return closeAfterFile(
    (async () => {
      const service = await createService(config, logger, options);
      const port = await service.listen();
      return { service, baseUrl: `http://127.0.0.1:${port}`, dataDir, close: () => service.close() };
    })(),
  );
}

let brain: ReturnType<typeof loadBrain> | undefined;
/** NLU, knowledge and texts trained from the real content, shared by the tests of one file. */
export function sharedBrain(): ReturnType<typeof loadBrain> {
  // The service's default model cache: test files after the first restore instead of training.
  brain ??= loadBrain({ CONTENT_DIR: ROOT, DEFAULT_LANGUAGE: 'de', NLU_CACHE_DIR: loadConfig({}).NLU_CACHE_DIR });
  return brain;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text for the assertion message */
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
