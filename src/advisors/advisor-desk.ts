import type { Config } from '../config/config';
import { EscalationEvents } from '../escalation/escalation-events';
import { EscalationService } from '../escalation/escalation.service';
import type { PersonDelivery } from '../escalation/person-delivery';
import type { Logger } from '../logging/logger';
import type { Store } from '../storage/store';
import { AdvisorAccounts } from './accounts';
import { AuditLog } from './audit';
import { AdvisorPresence } from './presence';
import { TokenSigner } from './tokens';

export interface AdvisorDesk {
  audit: AuditLog;
  events: EscalationEvents;
  presence: AdvisorPresence;
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
  const events = new EscalationEvents((error) => logger.error({ err: error }, 'escalation event listener failed'));
  if (!config.AUTH_SECRET) logger.info('AUTH_SECRET is not set: advisor tokens use a random key and end with a restart');
  return {
    audit,
    events,
    presence: new AdvisorPresence(),
    accounts: new AdvisorAccounts(store.advisors, audit),
    signer: new TokenSigner(config.AUTH_SECRET, config.ADVISOR_TOKEN_TTL_MINUTES * 60_000),
    escalations: new EscalationService({
      escalations: store.escalations,
      conversations: store.conversations,
      audit,
      delivery,
      events,
      defaultLanguage: config.DEFAULT_LANGUAGE,
      logger,
    }),
  };
}
