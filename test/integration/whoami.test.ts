import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Seeded, startSeeded, textOf } from '../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

describe('/wg whoami', () => {
  it('tells the caller who wgbot takes them for: name, GitLab username, roles in each group', async () => {
    const store = s.wgbot.server.store;
    const joanna = store.people.findByName('Joanna Shih')!;
    store.people.findOrCreate('Joanna Shih', s.clock.now(), 'jshih'); // her GitLab username, as a sync records it
    expect(store.people.getById(joanna.id)!.gitlabUsername).toBe('jshih');

    const answer = await s.wgbot.slash('whoami', {
      user: 'U0JOANNA',
      responseUrl: s.slack.responseUrl('me'),
    });
    expect(answer.text).toBe(''); // acked at once: linking the caller may ask Slack
    const reply = textOf(await s.later('me'));
    expect(reply).toContain(
      'You are *Joanna Shih* to wgbot (GitLab `@jshih` by the pages, not connected: `/wg connect`)',
    );
    expect(reply).toContain('• *Improve Ops Quality* (`improve-ops-quality`): Facilitator');
  });

  it('says so when the caller has no role anywhere, and names a workspace admin as one', async () => {
    await s.wgbot.slash('whoami', { user: 'U0BOSS', responseUrl: s.slack.responseUrl('boss') });
    const reply = textOf(await s.later('boss'));
    expect(reply).toContain(
      'You are *Big Boss* to wgbot (no GitLab account known: `/wg connect`, workspace admin)',
    );
    expect(reply).toContain('You have no role and no open items in an active working group');
  });
});
