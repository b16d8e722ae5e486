import { join } from 'node:path';
import { type Command, UsageError } from '../context.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'play five weeks of the sample working group offline and show what Slack would show, in a browser',
  usage: 'wgbot demo [--port 3210]',
  options: { port: { type: 'string' } },
  async run({ positionals, values }, ctx) {
    if (positionals.length > 0) throw new UsageError(`demo takes no arguments — usage: ${demoCommand.usage}`);
    const port = Number(values.port ?? ctx.io.env.DEMO_PORT ?? 3210);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`'${values.port}' is not a port`);
    const { startDemo } = await import('../../demo/demo.js');
    const started = Date.now();
    const demo = await startDemo({ port, databasePath: join(ctx.io.env.DEMO_DIR ?? 'data', 'demo.db') });
    ctx.io.stdout(
      `wgbot demo: ${demo.url} — five weeks of "Improve Ops Quality" replayed offline (no tokens, no network), ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops it.\n`,
    );
    await (ctx.io.stopSignal ?? new Promise<string>(() => {}));
    await demo.close();
    return 0;
  },
};
