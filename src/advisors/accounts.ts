import type { Logger } from '../logging/logger';
import type { Advisor, AdvisorRepository, AdvisorRole } from '../storage/store';
import { DuplicateEmailError } from '../storage/store';
import type { AuditLog } from './audit';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';

export const MIN_PASSWORD_LENGTH = 12;

/** An account as the API shows it: never the password hash. */
export interface PublicAdvisor {
  id: string;
  email: string;
  name: string;
  role: AdvisorRole;
  disabled: boolean;
  createdAt: string;
}

export function publicAdvisor(advisor: Advisor): PublicAdvisor {
  return { id: advisor.id, email: advisor.email, name: advisor.name, role: advisor.role, disabled: advisor.disabled, createdAt: advisor.createdAt };
}

/** Refused: the change would leave no enabled admin, and nobody could manage accounts any more. */
export class LastAdminError extends Error {
  constructor() {
    super('At least one enabled admin must remain.');
    this.name = 'LastAdminError';
  }
}

export { DuplicateEmailError };

/** Actor ids that are not advisors. */
export const SYSTEM_ACTOR = 'system';
export const CLI_ACTOR = 'cli';
export const ANONYMOUS_ACTOR = 'anonymous';

/**
 * Advisor accounts: creation with a hashed password, login, enabling/disabling and roles, each
 * written to the audit log. Used by the API, the CLI and start-up (first admin).
 */
export class AdvisorAccounts {
  constructor(
    private readonly advisors: AdvisorRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Throws DuplicateEmailError for a taken email. The password must already be validated (length). */
  async create(input: { email: string; name: string; password: string; role: AdvisorRole }, actorId: string): Promise<Advisor> {
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new Error(`password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    // Fail fast before spending a hash on a taken email; create() checks again atomically.
    if (await this.advisors.getByEmail(input.email)) throw new DuplicateEmailError(input.email.trim().toLowerCase());
    const advisor = await this.advisors.create({ email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
    await this.audit.record(actorId, 'advisor.create', advisor.id, { role: advisor.role });
    return advisor;
  }

  /**
   * The account for these credentials, or null. An unknown email, a wrong password and a disabled
   * account look the same to the caller and take about as long (a dummy hash is verified).
   * The attempt is audited without the password; an unknown email is not recorded either (it is
   * often a password typed into the wrong field).
   */
  async authenticate(email: string, password: string): Promise<Advisor | null> {
    const advisor = await this.advisors.getByEmail(email);
    const matches = await verifyPassword(password, advisor?.passwordHash ?? (await dummyPasswordHash()));
    if (!advisor) {
      await this.audit.record(ANONYMOUS_ACTOR, 'login.failure', undefined, { reason: 'unknown_account' });
      return null;
    }
    if (!matches || advisor.disabled) {
      await this.audit.record(advisor.id, 'login.failure', advisor.id, { reason: matches ? 'disabled' : 'wrong_password' });
      return null;
    }
    await this.audit.record(advisor.id, 'login.success', advisor.id);
    return advisor;
  }

  /** Audits that an account's login was locked after failures in a row (LoginLockout). */
  async recordLockout(email: string): Promise<void> {
    const advisor = await this.advisors.getByEmail(email);
    await this.audit.record(advisor?.id ?? ANONYMOUS_ACTOR, 'login.locked', advisor?.id);
  }

  /**
   * Changes name, role or the disabled flag. Returns null for an unknown id; throws LastAdminError
   * when no enabled admin would remain. (The check and the write are two steps: two admins demoting
   * each other at the same instant could both pass; the first-admin bootstrap is the way back.)
   */
  async update(id: string, patch: { disabled?: boolean; name?: string; role?: AdvisorRole }, actorId: string): Promise<Advisor | null> {
    const current = await this.advisors.get(id);
    if (!current) return null;
    const losesAdmin = current.role === 'admin' && !current.disabled && (patch.disabled === true || patch.role === 'advisor');
    if (losesAdmin) {
      const enabledAdmins = (await this.advisors.list()).filter((a) => a.role === 'admin' && !a.disabled);
      if (enabledAdmins.length <= 1) throw new LastAdminError();
    }
    // Disabling ends the tokens the account has: enabling it again must not bring them back.
    const revokes = patch.disabled === true && !current.disabled;
    const updated = await this.advisors.update(id, revokes ? { ...patch, tokensValidFrom: new Date().toISOString() } : patch);
    if (!updated) return null;
    if (patch.disabled !== undefined && patch.disabled !== current.disabled) {
      await this.audit.record(actorId, patch.disabled ? 'advisor.disable' : 'advisor.enable', id);
    }
    const changed: Record<string, string | boolean> = {};
    if (patch.role !== undefined && patch.role !== current.role) changed.role = patch.role;
    if (patch.name !== undefined && patch.name !== current.name) changed.nameChanged = true;
    if (Object.keys(changed).length) await this.audit.record(actorId, 'advisor.update', id, changed);
    return updated;
  }

  /**
   * Start-up: creates the admin from ADMIN_EMAIL/ADMIN_PASSWORD when no admin account exists yet.
   * Existing accounts are never changed from the environment (a forgotten variable must not reset
   * a password that was changed since).
   */
  async ensureFirstAdmin(email: string | undefined, password: string | undefined, logger: Logger): Promise<'created' | 'exists' | 'not_configured'> {
    const admins = (await this.advisors.list()).filter((a) => a.role === 'admin');
    if (admins.length > 0) return 'exists';
    if (!email || !password) {
      logger.warn('no admin account exists: set ADMIN_EMAIL and ADMIN_PASSWORD (or use `npm run advisor -- create --role admin`)');
      return 'not_configured';
    }
    if (await this.advisors.getByEmail(email)) {
      logger.warn('ADMIN_EMAIL belongs to an existing advisor account; it is not promoted to admin automatically');
      return 'exists';
    }
    const admin = await this.create({ email, name: 'Admin', password, role: 'admin' }, SYSTEM_ACTOR);
    logger.info({ advisorId: admin.id }, 'first admin account created from ADMIN_EMAIL');
    return 'created';
  }
}
