import { createLogger } from '../../logger.js';
import { type Command, UsageError } from '../context.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the Slack app (HTTP or Socket Mode), the GitLab webhook and the scheduler',
  usage: 'wgbot serve',
  async run({ positionals }, ctx) {
    if (positionals.length > 0)
      throw new UsageError(`serve takes no arguments — usage: ${serveCommand.usage}`);
    const config = ctx.config();
    const logger = createLogger(config.logLevel);
    const { startServer } = await import('../../main.js');
    const stopSignal = ctx.io.stopSignal ?? new Promise<string>(() => {});
    const starting = startServer({ config, clock: ctx.io.clock, logger });
    // A stop asked for while starting (Slack slow to answer auth.test) is honoured once start settles.
    const first = await Promise.race([starting.then(() => null), stopSignal]);
    if (first !== null) logger.info({ signal: first }, 'stop asked for while starting');
    const server = await starting;
    const signal = first ?? (await stopSignal);
    logger.info({ signal }, 'stopping: finishing the job in flight');
    await server.stop();
    return 0;
  },
};
