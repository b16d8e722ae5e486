import type { RunningServer } from '../../main.js';
import { type Command, UsageError } from '../context.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the Slack app (HTTP or Socket Mode), the GitLab webhook and the scheduler',
  usage: 'wgbot serve',
  options: [],
  examples: ['SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… GITLAB_TOKEN=… wgbot serve'],
  // The server opens (and creates, and migrates) its own database.
  database: 'create',
  async run({ positionals }, ctx) {
    if (positionals.length > 0)
      throw new UsageError(`serve takes no arguments — usage: ${serveCommand.usage}`);
    const config = ctx.config();
    const { createLogger } = await import('../../logger.js');
    const logger = createLogger(config.logLevel);
    const { startServer } = await import('../../main.js');
    const { StartAborted } = await import('../../slack/socketMode.js');
    const stopSignal = ctx.io.stopSignal ?? new Promise<string>(() => {});
    // A stop asked for while starting (Slack slow or unreachable) ends the start at once.
    const starting = new AbortController();
    void stopSignal.then((signal) => starting.abort(signal));
    let server: RunningServer;
    try {
      server = await startServer({ config, clock: ctx.io.clock, logger, signal: starting.signal });
    } catch (error) {
      if (!(error instanceof StartAborted)) throw error;
      logger.info({ signal: starting.signal.reason as string }, 'stopped while starting');
      return 0;
    }
    const signal = await stopSignal;
    logger.info({ signal }, 'stopping: finishing the job in flight');
    await server.stop();
    return 0;
  },
};
