import { Router } from 'express';
import { z } from 'zod';
import { DuplicateEmailError, LastAdminError, MIN_PASSWORD_LENGTH, publicAdvisor, type AdvisorAccounts } from '../advisors/accounts';
import type { AuditLog } from '../advisors/audit';
import type { LoginLockout } from '../advisors/login-lockout';
import { AppError } from '../errors/app-error';
import type { AdvisorRepository, AuditRepository } from '../storage/store';
import { currentAdvisor, requireRole } from './advisor-auth.middleware';
import { jsonBody, parseOr400, RECORD_ID, recordId, route } from './validation';

const BODY_BYTES = 4 * 1024;

const name = z.string().trim().min(1, 'name must not be empty').max(100);
const role = z.enum(['advisor', 'admin']);

const createSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('email must be an email address').max(254),
    name,
    password: z.string().min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
    role,
  })
  .strict();

const patchSchema = z
  .object({
    disabled: z.boolean().optional(),
    name: name.optional(),
    role: role.optional(),
    /** Lifts a login lock-out: anyone who knows the address can cause one with wrong passwords. */
    unlock: z.literal(true, { invalid_type_error: 'unlock must be true' }).optional(),
  })
  .strict()
  .refine((p) => p.disabled !== undefined || p.name !== undefined || p.role !== undefined || p.unlock !== undefined, 'give at least one of disabled, name, role, unlock');

const auditQuerySchema = z
  .object({
    limit: z.string().regex(/^\d{1,4}$/, 'limit must be 1–1000').optional(),
    actorId: z.string().regex(RECORD_ID).optional(),
  })
  .strict();

export interface AdminRouteDeps {
  accounts: AdvisorAccounts;
  advisors: AdvisorRepository;
  audit: AuditRepository;
  lockout: Pick<LoginLockout, 'unlock'>;
  auditLog: AuditLog;
}

/** Admin only: advisor accounts and the audit log. Password hashes never leave the server. */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  const body = jsonBody(BODY_BYTES);
  const adminOnly = requireRole('admin');

  router.post(
    '/api/v1/advisors',
    adminOnly,
    ...body,
    route(async (req, res) => {
      const input = parseOr400(createSchema, req.body);
      try {
        const advisor = await deps.accounts.create(input, currentAdvisor(res).id);
        res.status(201).json({ advisor: publicAdvisor(advisor) });
      } catch (error) {
        if (error instanceof DuplicateEmailError) throw new AppError('conflict', 'An advisor with this email already exists.');
        throw error;
      }
    }),
  );

  router.get(
    '/api/v1/advisors',
    adminOnly,
    route(async (_req, res) => {
      res.json({ advisors: (await deps.advisors.list()).map(publicAdvisor) });
    }),
  );

  router.patch(
    '/api/v1/advisors/:id',
    adminOnly,
    ...body,
    route(async (req, res) => {
      const { unlock, ...input } = parseOr400(patchSchema, req.body);
      const advisorId = recordId(req.params.id, 'advisor');
      try {
        const advisor = await deps.accounts.update(advisorId, input, currentAdvisor(res).id);
        if (!advisor) throw new AppError('not_found', 'No advisor with this id.');
        if (unlock) {
          deps.lockout.unlock(advisor.email);
          await deps.auditLog.record(currentAdvisor(res).id, 'login.unlock', advisor.id);
        }
        res.json({ advisor: publicAdvisor(advisor) });
      } catch (error) {
        if (error instanceof LastAdminError) throw new AppError('conflict', error.message);
        throw error;
      }
    }),
  );

  router.get(
    '/api/v1/audit',
    adminOnly,
    route(async (req, res) => {
      const query = parseOr400(auditQuerySchema, req.query, 'invalid_query');
      const limit = Math.min(1000, Math.max(1, query.limit ? Number(query.limit) : 100));
      res.json({ entries: await deps.audit.list({ limit, ...(query.actorId ? { actorId: query.actorId } : {}) }) });
    }),
  );

  return router;
}
