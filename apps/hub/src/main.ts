import 'reflect-metadata';
import { checkItemMappingSetting } from '@carrel/catalog';
import { ConfigError, loadSettings, projectRoot } from '@carrel/config';
import { createLogger } from '@carrel/logging';
import { createHub } from './bootstrap.js';

let settings;
try {
  settings = loadSettings({ baseDir: projectRoot() });
  checkItemMappingSetting(settings);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
const logger = createLogger(settings['log.level']);

try {
  const app = await createHub(settings, logger);
  if (settings['http.enabled']) {
    await app.listen(settings['http.port'], settings['http.host']);
    logger.info({ host: settings['http.host'], port: settings['http.port'] }, 'Carrel hub serving HTTP');
  } else {
    logger.info('Carrel hub running without HTTP');
  }
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing in-flight work');
      const force = setTimeout(() => {
        logger.warn({ graceMs: settings['shutdown.graceMs'] }, 'shutdown grace period over: exiting');
        process.exit(1);
      }, settings['shutdown.graceMs']);
      force.unref();
      app.close().then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err: Error) => {
          logger.error({ err }, 'error while stopping');
          process.exit(1);
        },
      );
    });
  }
} catch (err) {
  // a setting found wrong while the roles start (a missing SIP2 accounts file, say): exit status 2 as for any configuration error
  if (err instanceof ConfigError) {
    logger.fatal({ err: { message: err.message } }, 'Carrel hub failed to start: configuration error');
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  logger.fatal({ err }, 'Carrel hub failed to start');
  process.exit(1);
}
