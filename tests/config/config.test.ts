import { loadConfig } from '../../src/config/config';
import { StartupError } from '../../src/errors/app-error';

describe('configuration', () => {
  it('starts with defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toMatch(/data$/);
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.OFFICE_HOURS).toBe('Mon-Fri 08:00-16:00');
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(StartupError);
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('LOG_LEVEL');
    }
  });

  it('refuses an admin e-mail without a password and a weak password', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'admin@example.org' })).toThrow(/together/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('takes the heap growth as a percentage, 0 for V8\'s own choice', () => {
    expect(loadConfig({}).HEAP_GROWTH_PERCENT).toBe(30);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).HEAP_GROWTH_PERCENT).toBe(0);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-5' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: 'lots' })).toThrow(/HEAP_GROWTH_PERCENT/);
  });

  it('refuses malformed office hours', () => {
    expect(() => loadConfig({ OFFICE_HOURS: 'weekdays' })).toThrow(/OFFICE_HOURS/);
    expect(loadConfig({ OFFICE_HOURS: 'always' }).OFFICE_HOURS).toBe('always');
  });

  it('validates the advisor token settings', () => {
    const defaults = loadConfig({});
    expect(defaults.AUTH_SECRET).toBeUndefined();
    expect(defaults.ADVISOR_TOKEN_TTL_MINUTES).toBe(30);
    expect(defaults.LOGIN_RATE_LIMIT_PER_MINUTE).toBe(10);
    expect(() => loadConfig({ AUTH_SECRET: 'too-short' })).toThrow(/AUTH_SECRET/);
    expect(() => loadConfig({ ADVISOR_TOKEN_TTL_MINUTES: '0' })).toThrow(/ADVISOR_TOKEN_TTL_MINUTES/);
    expect(loadConfig({ AUTH_SECRET: 's'.repeat(32), ADVISOR_TOKEN_TTL_MINUTES: '15' })).toMatchObject({ AUTH_SECRET: 's'.repeat(32), ADVISOR_TOKEN_TTL_MINUTES: 15 });
  });

  it('validates the escalation webhook settings', () => {
    const secret = 'w'.repeat(32);
    const defaults = loadConfig({});
    expect(defaults.WEBHOOK_URL).toBeUndefined();
    expect(defaults.WEBHOOK_EVENTS).toEqual(['escalation.created']);
    expect(loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/zemigra?token=abc', WEBHOOK_SECRET: secret, WEBHOOK_EVENTS: 'escalation.created, escalation.updated' })).toMatchObject({
      WEBHOOK_URL: 'https://hooks.example.org/zemigra?token=abc',
      WEBHOOK_SECRET: secret,
      WEBHOOK_EVENTS: ['escalation.created', 'escalation.updated'],
    });
    for (const url of ['not a url', 'ftp://hooks.example.org/x', 'https://user:pass@hooks.example.org/x']) {
      expect(() => loadConfig({ WEBHOOK_URL: url, WEBHOOK_SECRET: secret })).toThrow(/WEBHOOK_URL/);
    }
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/x' })).toThrow(StartupError);
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/x' })).toThrow(/WEBHOOK_SECRET .*required/);
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/x', WEBHOOK_SECRET: 'short' })).toThrow(/WEBHOOK_SECRET must have at least 32/);
    expect(() => loadConfig({ WEBHOOK_EVENTS: 'escalation.created,escalation.deleted' })).toThrow(/WEBHOOK_EVENTS/);
    expect(() => loadConfig({ WEBHOOK_EVENTS: ' , ' })).toThrow(/WEBHOOK_EVENTS/);
  });

  it('never echoes the webhook URL or secret in a start-up error', () => {
    try {
      loadConfig({ WEBHOOK_URL: 'https://user:hunter2@hooks.example.org/x', WEBHOOK_SECRET: 'tiny-secret' });
      throw new Error('expected a StartupError');
    } catch (error) {
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).not.toMatch(/hunter2|tiny-secret/);
    }
  });
});
