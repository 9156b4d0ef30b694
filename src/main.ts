import v8 from 'node:v8';
import { loadConfig } from './config/config';
import { StartupError } from './errors/app-error';
import { createLogger } from './logging/logger';
import { createService } from './service';

/** Process entry: config, service, signals. Exit code 1 for a bad configuration or content. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  // Read by V8 at every collection, so it applies from here on (a command-line flag would bypass the config).
  if (config.HEAP_GROWTH_PERCENT > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWTH_PERCENT}`);
  const logger = createLogger(config.LOG_LEVEL);
  const service = await createService(config, logger).catch((error: Error) => {
    logger.fatal({ err: { name: error.name, message: error.message } }, error instanceof StartupError ? 'invalid content or configuration' : 'start-up failed');
    process.exit(1);
  });
  const port = await service.listen();
  logger.info({ port }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await service.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason instanceof Error ? { name: reason.name, message: reason.message } : String(reason) }, 'unhandled rejection'));
}

void main();
