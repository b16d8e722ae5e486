// The server side of the /wg status benchmark, in its own process so its latency and memory are its own.
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { FakeSlack } from '../test/fakes/slack.js';
import { tempDir } from '../test/helpers/store.js';
import { populate } from './fixtures.js';

const { dir, cleanup } = tempDir();
const path = join(dir, 'bench.db');
const seed = openStore(path);
populate(seed, { groups: 1000, bigCriteria: 40, bigItems: 500 });
seed.close();

const slack = await FakeSlack.start({ validateBlocks: false });
const server = await startServer({
  config: loadConfig({
    DATABASE_PATH: path,
    PORT: '0',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'silent',
  }),
  clock: systemClock,
  logger: silentLogger,
  slackRetries: 0,
  cron: false,
  host: '127.0.0.1',
});
process.send?.({ port: server.address.port });
process.on('message', async (message: { cmd: string }) => {
  if (message.cmd === 'stats') process.send?.({ maxRssKb: process.resourceUsage().maxRSS });
  if (message.cmd === 'stop') {
    await server.stop();
    await slack.close();
    cleanup();
    process.disconnect();
  }
});
