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
    const server = await startServer({ config, clock: ctx.io.clock, logger });
    const signal = await (ctx.io.stopSignal ?? new Promise<string>(() => {}));
    logger.info({ signal }, 'stopping: finishing the job in flight');
    await server.stop();
    return 0;
  },
};
