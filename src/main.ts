import 'dotenv/config';
import { createTaawun } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** Starts Taawun from the environment; stops gracefully on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const taawun = await createTaawun(config);
  const port = await taawun.start();
  if (config.web.enabled) {
    taawun.logger.info(`Web chat: http://${config.http.host}:${port}/`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    taawun.logger.info({ signal }, 'stopping');
    const timer = setTimeout(() => process.exit(1), 15_000).unref();
    await taawun.stop();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
