import type { AuditAction, AuditDetails, AuditRepository } from '../storage/store';

/**
 * Writes the audit log of advisor actions. Entries say who did what to which record, nothing more:
 * people's messages, notes, callback contacts and passwords must never end up here (the log is kept
 * for good and read by every admin). Details are filtered as a safety net against a careless caller.
 */
const FORBIDDEN_KEY = /text|password|hash|note|contact|phone|email|token|secret/i;
/** Details carry ids and enum-like values; anything longer is more likely content than a label. */
const MAX_VALUE_LENGTH = 80;

export class AuditLog {
  constructor(private readonly repository: AuditRepository) {}

  async record(actorId: string, action: AuditAction, target?: string, details?: AuditDetails): Promise<void> {
    const safe = details ? safeDetails(details) : undefined;
    await this.repository.append({
      at: new Date().toISOString(),
      actorId,
      action,
      ...(target ? { target } : {}),
      ...(safe && Object.keys(safe).length ? { details: safe } : {}),
    });
  }
}

export function safeDetails(details: AuditDetails): AuditDetails {
  const out: AuditDetails = {};
  for (const [key, value] of Object.entries(details)) {
    if (FORBIDDEN_KEY.test(key)) continue;
    if (typeof value === 'string' && value.length > MAX_VALUE_LENGTH) continue;
    out[key] = value;
  }
  return out;
}
