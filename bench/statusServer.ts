// The server side of the /wg status benchmark, in its own process so its latency and memory are its own.
import { join } from 'node:path';
import { openStore } from '../src/store/store.js';
import { tempDir } from '../test/helpers/store.js';
import { startBenchServer } from './benchServer.js';
import { populate } from './fixtures.js';

const { dir, cleanup } = tempDir();
const path = join(dir, 'bench.db');
const seed = openStore(path);
populate(seed, { groups: 1000, bigCriteria: 40, bigItems: 500 });
seed.close();

const { server, slack, takeServerSide } = await startBenchServer(path);
process.send?.({ port: server.address.port });
process.on('message', async (message: { cmd: string }) => {
  if (message.cmd === 'stats') process.send?.({ maxRssKb: process.resourceUsage().maxRSS });
  if (message.cmd === 'take') process.send?.({ serverSide: takeServerSide() });
  if (message.cmd === 'stop') {
    await server.stop();
    await slack.close();
    cleanup();
    process.disconnect();
  }
});
