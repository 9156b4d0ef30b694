import type { Config } from '../config/config';
import { EscalationService } from '../escalation/escalation.service';
import type { PersonDelivery } from '../escalation/person-delivery';
import type { Logger } from '../logging/logger';
import type { Store } from '../storage/store';
import { AdvisorAccounts } from './accounts';
import { AuditLog } from './audit';
import { TokenSigner } from './tokens';

export interface AdvisorDesk {
  audit: AuditLog;
  accounts: AdvisorAccounts;
  signer: TokenSigner;
  escalations: EscalationService;
}

/** Wires accounts, tokens, audit and escalations over one store; `delivery` is the bot side's way to the person. */
export function createAdvisorDesk(
  store: Store,
  config: Pick<Config, 'AUTH_SECRET' | 'ADVISOR_TOKEN_TTL_MINUTES' | 'DEFAULT_LANGUAGE'>,
  delivery: PersonDelivery,
  logger: Logger,
): AdvisorDesk {
  const audit = new AuditLog(store.audit);
  if (!config.AUTH_SECRET) logger.info('AUTH_SECRET is not set: advisor tokens use a random key and end with a restart');
  return {
    audit,
    accounts: new AdvisorAccounts(store.advisors, audit),
    signer: new TokenSigner(config.AUTH_SECRET, config.ADVISOR_TOKEN_TTL_MINUTES * 60_000),
    escalations: new EscalationService({
      escalations: store.escalations,
      conversations: store.conversations,
      audit,
      delivery,
      defaultLanguage: config.DEFAULT_LANGUAGE,
      logger,
    }),
  };
}
