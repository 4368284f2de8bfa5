import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import type { Config } from './platform/config.ts';
import { createPlatform } from './platform/create.ts';
import { formatCredentials, seedDemoIfEmpty } from './seed/demo.ts';

/** Where `npm run build -w web` puts the web app. */
export const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Composition root: config -> database -> platform workers -> HTTP. Returns a stop function
 * that drains in-flight work (used on SIGINT/SIGTERM).
 */
export async function startHoorn(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const platform = await createPlatform({ ...config, webDist: config.webDist ?? defaultWebDist });
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(platform);
    if (seeded) process.stdout.write(`\n${formatCredentials(seeded)}\n\n`);
  }
  const app = await buildApp(platform);
  await platform.startWorkers();
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
  platform.log.info({ url, database: platform.database.kind }, 'Hoorn is listening');
  return {
    url,
    async stop() {
      await app.close();
      await platform.close();
    },
  };
}
