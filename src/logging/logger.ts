import pino from 'pino';

/**
 * Structured logs. People tell this service about residence status and hardship, so log lines carry
 * ids, intents and timings only: never message texts, names, contacts or IP addresses. The redact
 * list is a safety net for fields that must never appear even by mistake.
 */
export type Logger = pino.Logger;

/** `destination` defaults to stdout; tests pass a stream to read what the service logs. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    redact: {
      paths: ['text', '*.text', 'message.text', 'req.headers.authorization', 'email', 'password', 'phone', 'ip', '*.ip'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
