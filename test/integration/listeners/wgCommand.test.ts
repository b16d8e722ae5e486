import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Message, type Seeded, startSeeded, textOf } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

describe('listeners/commands/wg', () => {
  it('answers a read in the acknowledgement without asking Slack anything first', async () => {
    s.slack.reset();
    const answer = await s.wgbot.slash('criteria', { user: 'U0ADA' });
    expect((answer.json as Message).response_type).toBe('ephemeral');
    expect(textOf(answer.json as Message)).toContain('Improve Ops Quality — exit criteria');
    // The only call is the time-zone refresh after the answer.
    expect(s.slack.calls.every((c) => c.method === 'users.info')).toBe(true);
  });

  it('acks a facilitator’s command at once and answers via response_url', async () => {
    const answer = await s.wgbot.slash('archive', {
      user: 'U0JOANNA',
      responseUrl: s.slack.responseUrl('a'),
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const reply = await s.later('a');
    expect(reply.response_type).toBe('in_channel');
    expect(textOf(reply)).toContain('<@U0JOANNA> ended *Improve Ops Quality*');
  });

  it('refuses before the subcommand runs: a member is not a facilitator', async () => {
    await s.wgbot.slash('nudge', { user: 'U0KENNY', responseUrl: s.slack.responseUrl('n') });
    expect(textOf(await s.later('n'))).toContain('Only facilitators can send nudges of Improve Ops Quality');
    expect(s.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('says what went wrong with the words, and apologises when Slack fails during the check', async () => {
    const typo = (await s.wgbot.slash('lnik https://x.y')).json as Message;
    expect(textOf(typo)).toContain('Try `/wg link https://gitlab.com/groups/acme/-/epics/42`');
    s.slack.failNext('users.info', { error: 'fatal_error' }, 5);
    await s.wgbot.slash('schedule off', { user: 'U0THOR', responseUrl: s.slack.responseUrl('f') });
    expect(textOf(await s.later('f'))).toContain('Something went wrong on wgbot’s side; it is logged');
  });
});
