// The server side of the reads benchmark (bench/reads.ts): the real app on a database the parent built, in
// its own process so its latency and peak memory are its own. argv[2] is the database file.
import { renderListText } from '../src/cli/statusText.js';
import { systemClock } from '../src/clock.js';
import { allGroups } from '../src/services/groupList.js';
import { startBenchServer } from './benchServer.js';

const { server, slack, takeServerSide } = await startBenchServer(process.argv[2]!);
process.send?.({ port: server.address.port });

/** `wgbot list` as the CLI runs it (every group, then the text), timed in this process. */
function cliList(): { ms: number; lines: number } {
  const t0 = performance.now();
  const text = renderListText(allGroups(server.store, systemClock.now()));
  return { ms: performance.now() - t0, lines: text.split('\n').length - 2 };
}

process.on('message', async (message: { cmd: string }) => {
  if (message.cmd === 'take') process.send?.({ serverSide: takeServerSide() });
  if (message.cmd === 'cli-list') process.send?.(cliList());
  if (message.cmd === 'stats') process.send?.({ maxRssKb: process.resourceUsage().maxRSS });
  if (message.cmd === 'stop') {
    await server.stop();
    await slack.close();
    process.disconnect();
  }
});
