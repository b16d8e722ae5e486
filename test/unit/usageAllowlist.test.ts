import { afterEach, describe, expect, it } from 'vitest';
import { hostAllowed, isLinkLocal, UsageService } from '../../src/services/usageService.js';
import { tempStore } from '../helpers/store.js';

/** Usage sources may only be on hosts the operator listed (USAGE_ALLOWED_HOSTS), never link-local. */
describe('usage source allowlist', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const now = new Date('2026-11-23T09:00:00Z');
  function setup(allowedHosts: string[] | null, addresses: string[] = ['192.0.2.10']) {
    const { store, cleanup } = tempStore(() => now);
    cleanups.push(cleanup);
    const group = store.transaction(() => store.groups.insert('g', { name: 'G', timezone: 'UTC' }, now));
    const fetched: string[] = [];
    const fetchFn = (async (url: URL) => {
      fetched.push(url.toString());
      return new Response('42', { status: 200 });
    }) as unknown as typeof fetch;
    const usage = new UsageService(store, fetchFn, () => now, undefined, {
      allowedHosts,
      resolve: async () => addresses,
    });
    return { store, group, usage, fetched };
  }

  it('matches a bare host on any port, host:port on that port only', () => {
    const url = (u: string) => new URL(u);
    expect(hostAllowed(url('http://metrics.example.com:8080/x'), ['metrics.example.com'])).toBe(true);
    expect(hostAllowed(url('https://prom.example.com/x'), ['prom.example.com:443'])).toBe(true);
    expect(hostAllowed(url('http://prom.example.com:9091/x'), ['prom.example.com:9090'])).toBe(false);
    expect(hostAllowed(url('http://10.0.0.1/x'), ['prom.example.com'])).toBe(false);
    expect(isLinkLocal('169.254.169.254')).toBe(true);
    expect(isLinkLocal('::ffff:169.254.1.1')).toBe(true);
    expect(isLinkLocal('fe80::1')).toBe(true);
    expect(isLinkLocal('127.0.0.1')).toBe(false);
  });

  it('turns usage sources off when the operator allowed no host', () => {
    const { group, usage } = setup(null);
    expect(usage.setSource(group, 'http://127.0.0.1:9090/value')).toEqual({
      ok: false,
      reason: 'usage sources are off: the operator has not set USAGE_ALLOWED_HOSTS',
    });
    expect(usage.source(group)).toBeNull();
  });

  it('never fetches a host that resolves to a link-local address, even when allowed', async () => {
    const { group, usage, fetched } = setup(['metadata.example.com'], ['169.254.169.254']);
    expect(usage.setSource(group, 'http://metadata.example.com/latest')).toMatchObject({ ok: true });
    expect(await usage.read(group)).toMatchObject({
      kind: 'unavailable',
      reason: 'the host resolves to a link-local address',
    });
    expect(fetched).toEqual([]);
  });

  it('refuses at read time a stored source whose host is no longer allowed', async () => {
    const { store, group, fetched } = setup(['127.0.0.1']);
    store.db
      .prepare(
        "INSERT INTO usage_sources (wg_id, url, kind, updated_at) VALUES (?, 'http://10.1.2.3/v', 'json', ?)",
      )
      .run(group.id, now.toISOString());
    const usage = new UsageService(store, fetch, () => now, undefined, { allowedHosts: ['127.0.0.1'] });
    expect(await usage.read(group)).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('must allow 10.1.2.3'),
    });
    expect(fetched).toEqual([]);
  });
});
