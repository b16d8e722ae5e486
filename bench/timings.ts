// Durations the test suites used to assert and no longer do (a busy machine made them a lottery): here
// they are figures, measured on this machine, next to what the tests once demanded.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ManualClock } from '../src/clock.js';
import { startDemo } from '../src/demo/demo.js';
import { ImportService } from '../src/services/importService.js';
import { LinkService } from '../src/services/linkService.js';
import { FakeGitlab } from '../test/fakes/gitlab.js';
import { FakeSlack } from '../test/fakes/slack.js';
import { BIN } from '../test/helpers/cli.js';
import { handbookSeed } from '../test/helpers/seeds.js';
import { startSixWeeks } from '../test/helpers/sixWeeks.js';
import { tempDir } from '../test/helpers/store.js';
import { startWgbot, WEBHOOK_SECRET } from '../test/helpers/wgbot.js';
import { fmt, percentile } from './fixtures.js';

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function sixWeeks(): Promise<void> {
  const world = await startSixWeeks();
  try {
    const ms = await timed(() => world.play());
    const digests = world.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0WG').length;
    console.log(
      `six weeks, hour by hour:  ${fmt(ms).padStart(8)}  (1,008 scheduler ticks, ${digests} channel posts; the test once demanded < 10 s)`,
    );
  } finally {
    await world.close();
  }
}

async function webhookAnswers(): Promise<void> {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const slack = await FakeSlack.start();
  const gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epic = gitlab.addEpic('g', { title: 'Ops quality' });
  const issue = gitlab.addIssue('g/app', { title: 'Flaky spec', epic: { groupPath: 'g', iid: epic.iid } });
  const wgbot = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
  try {
    new ImportService(wgbot.server.store, () => clock.now()).importText(handbookSeed());
    new LinkService(wgbot.server.store, gitlab.url, () => clock.now()).link(
      'improve-ops-quality',
      `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
    );
    const times: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const body = JSON.stringify({
        object_kind: 'issue',
        project: { id: 1000, path_with_namespace: 'g/app', web_url: `${gitlab.url}/g/app` },
        object_attributes: {
          id: issue.id,
          iid: issue.iid,
          title: 'Flaky spec',
          state: 'closed',
          action: 'close',
        },
      });
      const headers = {
        'content-type': 'application/json',
        'x-gitlab-event': 'Issue Hook',
        'x-gitlab-token': WEBHOOK_SECRET,
        'x-gitlab-event-uuid': `bench-${i}`,
      };
      times.push(await timed(() => wgbot.post('/gitlab/webhook', body, headers)));
    }
    await wgbot.server.syncQueue.idle();
    times.sort((a, b) => a - b);
    console.log(
      `webhook answer (202):     p50 ${fmt(percentile(times, 50))}  p99 ${fmt(percentile(times, 99))}  (GitLab wants < 10 s; the test once demanded < 1 s)`,
    );
  } finally {
    await wgbot.stop();
    await slack.close();
    await gitlab.close();
  }
}

function serveRefusesToStart(dir: string): Promise<number> {
  const env = {
    PATH: process.env.PATH ?? '',
    DATABASE_PATH: join(dir, 'serve.db'),
    SLACK_BOT_TOKEN: 'xoxb-bench',
  };
  return timed(
    () =>
      new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [BIN, 'serve'], { env, timeout: 60_000 }, (error, _out, stderr) =>
          error?.code === 2
            ? resolve()
            : reject(new Error(`serve exited ${String(error?.code)}, not 2 (is dist/ built?): ${stderr}`)),
        ),
      ),
  );
}

export async function benchTimings(): Promise<void> {
  console.log('\n== Timings the tests no longer assert (figures, not verdicts) ==');
  await sixWeeks();
  await webhookAnswers();
  const { dir, cleanup } = tempDir();
  try {
    const serveMs = await serveRefusesToStart(dir);
    console.log(
      `serve, missing secret:    ${fmt(serveMs).padStart(8)}  to exit 2 (process start included; the test once demanded < 10 s)`,
    );
    let demo: Awaited<ReturnType<typeof startDemo>> | undefined;
    const demoMs = await timed(async () => {
      demo = await startDemo({
        port: 0,
        databasePath: join(dir, 'demo.db'),
        today: new Date('2026-11-25T10:00:00Z'),
      });
    });
    await demo?.close();
    console.log(
      `demo, built and serving:  ${fmt(demoMs).padStart(8)}  (five weeks of GitLab through the real sync; the test once demanded < 10 s)`,
    );
  } finally {
    cleanup();
  }
}
