import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from './slack.js';

// Smallest valid PNG (1x1 transparent pixel).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

describe('FakeSlack', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    fake.addChannel({ id: 'C0WG', name: 'wg-ai' });
    fake.addChannel({ id: 'C0OUT', name: 'outside', isMember: false });
    fake.addUser({ id: 'U0ALICE', name: 'alice', email: 'alice@example.com', tz: 'Europe/Berlin' });
    fake.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.clearFaults();
  });

  it('answers auth.test and rejects a wrong token', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0FAKE' });
    expect(fake.lastCall('auth.test')?.token).toBe(fake.botToken);

    const bad = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client.apiCall('nope.nothing')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('stores posted messages and serves them from conversations.history, newest first', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
    const first = await client.chat.postMessage({ channel: 'C0WG', text: 'hello', blocks });
    const second = await client.chat.postMessage({ channel: '#wg-ai', text: 'again' });
    expect(first.channel).toBe('C0WG');
    expect(first.message).toMatchObject({ text: 'hello', blocks, user: 'U0BOT', bot_id: 'B0BOT' });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    // Blocks arrive form-encoded as a JSON string; the call log holds them parsed.
    expect(fake.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);

    const history = await client.conversations.history({ channel: 'C0WG', limit: 1 });
    expect(history.messages?.map((m) => m.text)).toEqual(['again']);
    expect(history.has_more).toBe(true);
    const next = await client.conversations.history({
      channel: 'C0WG',
      cursor: history.response_metadata?.next_cursor,
    });
    expect(next.messages?.map((m) => m.text)).toEqual(['hello']);
    expect(fake.history('C0WG').map((m) => m.text)).toEqual(['hello', 'again']);

    const dm = await client.chat.postMessage({ channel: 'U0ALICE', text: 'psst' });
    expect(dm.channel).toBe('D0ALICE');
  });

  it('surfaces Slack errors as WebClient platform errors', async () => {
    await expect(client.chat.postMessage({ channel: 'C0OUT', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(client.chat.postMessage({ channel: 'U0GONE', text: 'x' })).rejects.toMatchObject({
      data: { error: 'account_inactive' },
    });
    await expect(
      client.chat.postMessage({
        channel: 'C0WG',
        text: 'x',
        blocks: [{ type: 'header', text: 'nope' }] as never,
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    fake.failNext('chat.postMessage', { error: 'fatal_error' });
    await expect(client.chat.postMessage({ channel: 'C0WG', text: 'x' })).rejects.toMatchObject({
      data: { error: 'fatal_error' },
    });
    expect(fake.callsTo('chat.postMessage').map((c) => (c.response as { error?: string }).error)).toEqual([
      'not_in_channel',
      'channel_not_found',
      'account_inactive',
      'invalid_blocks',
      'fatal_error',
    ]);
  });

  it('serves users.info with the seeded time zone and users.lookupByEmail', async () => {
    const res = await client.users.info({ user: 'U0ALICE' });
    expect(res.user).toMatchObject({ id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin', deleted: false });
    expect([3600, 7200]).toContain(res.user?.tz_offset);
    const byEmail = await client.users.lookupByEmail({ email: 'alice@example.com' });
    expect(byEmail.user?.id).toBe('U0ALICE');
    await expect(client.users.info({ user: 'U0WHO' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('answers 429 with Retry-After, which WebClient retries', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const limited = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0WG', text: 'too soon' }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');

    const retrying = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 1 } });
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const res = await retrying.chat.postMessage({ channel: 'C0WG', text: 'after the storm' });
    expect(res.ok).toBe(true);
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls[1]?.response).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('takes a filesUploadV2 upload end to end', async () => {
    const res = await client.filesUploadV2({
      channel_id: 'C0WG',
      file: PNG,
      filename: 'chart.png',
      title: 'Burn-down',
      initial_comment: 'Weekly chart',
    });
    expect(res.ok).toBe(true);
    const upload = fake.uploads.at(-1);
    expect(upload).toMatchObject({
      filename: 'chart.png',
      channelId: 'C0WG',
      title: 'Burn-down',
      completed: true,
    });
    expect(upload?.bytes.equals(PNG)).toBe(true);
    expect(upload?.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(fake.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'chart.png' });
    expect(fake.callsTo('upload_url')).toHaveLength(1);
    const complete = fake.callsTo('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]?.args).toMatchObject({
      channel_id: 'C0WG',
      initial_comment: 'Weekly chart',
      files: [{ id: upload?.fileId, title: 'Burn-down' }],
    });
    expect(fake.history('C0WG').at(-1)).toMatchObject({ subtype: 'file_share', text: 'Weekly chart' });
  });

  it('stores the published home view and opens modals', async () => {
    const view = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi' } }],
    };
    const res = await client.views.publish({ user_id: 'U0ALICE', view });
    expect(res.view?.id).toMatch(/^V/);
    expect(fake.homeView('U0ALICE')).toMatchObject({ ...view, id: res.view?.id });

    const modal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'New item' },
      blocks: [],
    };
    await expect(client.views.open({ view: modal } as never)).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    const opened = await client.views.open({ trigger_id: '123.456', view: modal });
    expect(fake.view(opened.view?.id ?? '')).toMatchObject(modal);
  });

  it('records POSTs to a response_url and can fail them', async () => {
    const url = fake.responseUrl('r1');
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ text: 'done', response_type: 'ephemeral', replace_original: false });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok');
    fake.failNext('response_url', { status: 404 });
    expect((await post({ text: 'again' })).status).toBe(404);
    expect(fake.callsTo('response_url').map((c) => [c.path, c.args.text, c.status])).toEqual([
      ['/response/r1', 'done', 200],
      ['/response/r1', 'again', 404],
    ]);
  });
});
