import { dirname, join, resolve } from 'node:path';
import { type Command, UsageError } from '../context.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'play five weeks of the sample working group offline and show what Slack would show, in a browser',
  usage: 'wgbot demo [--port 3210] [--host 127.0.0.1] [--db data/demo.db]',
  options: [
    {
      flag: '--port N',
      description: 'the port to serve on (default: $DEMO_PORT, else 3210; 0 picks a free one)',
    },
    {
      flag: '--host ADDRESS',
      description:
        'the address to listen on (default: $DEMO_HOST, else 127.0.0.1; 0.0.0.0 serves beyond this machine)',
    },
  ],
  examples: ['wgbot demo', 'wgbot demo --port 8080 --host 0.0.0.0'],
  // Its own database, rebuilt on every run beside the real one (--db names it): never the real one.
  database: 'none',
  async run({ positionals, values }, ctx) {
    if (positionals.length > 0) throw new UsageError(`demo takes no arguments — usage: ${demoCommand.usage}`);
    const env = (name: string) => ctx.io.env[name] || undefined; // empty counts as unset, as in config
    const rawPort = (values.port as string | undefined) ?? env('DEMO_PORT') ?? '3210';
    const port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535)
      throw new UsageError(`'${rawPort}' is not a port (0–65535; 0 picks a free one)`);
    const host = (values.host as string | undefined) || env('DEMO_HOST') || '127.0.0.1';
    // The demo's own database: --db, else beside DATABASE_PATH (in the Docker image, the writable /data),
    // else ./data. It is deleted and rebuilt on every run, so it must never be the real database.
    const realDatabase = resolve(env('DATABASE_PATH') ?? './data/wgbot.db');
    const databasePath =
      (values.db as string | undefined) ??
      join(env('DEMO_DIR') ?? (env('DATABASE_PATH') ? dirname(realDatabase) : 'data'), 'demo.db');
    if (resolve(databasePath) === realDatabase)
      throw new UsageError(
        `the demo deletes and rebuilds its database: give --db a file other than ${realDatabase}`,
      );
    const { startDemo } = await import('../../demo/demo.js');
    const started = Date.now();
    let demo: Awaited<ReturnType<typeof startDemo>>;
    try {
      demo = await startDemo({ port, host, databasePath });
    } catch (error) {
      if ((error as { code?: string }).code === 'EADDRINUSE')
        throw new UsageError(`port ${port} is in use: pick another with --port N or DEMO_PORT`);
      throw error;
    }
    ctx.io.stdout(
      `wgbot demo: ${demo.url} — five weeks of "Improve Ops Quality" replayed offline (no tokens, no network), ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops it.\n`,
    );
    await (ctx.io.stopSignal ?? new Promise<string>(() => {}));
    await demo.close();
    return 0;
  },
};
