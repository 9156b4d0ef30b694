import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/logger';

/**
 * The service's own logger (same redaction) writing into memory, so tests can read what would
 * reach the operator's log files.
 */
export function capturingLogger(level = 'info'): { logger: Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    logger: createLogger(level, stream),
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
