import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { syncCron } from '../../src/compose/jobs.js';

describe('config', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      slack: { apiUrl: 'https://slack.com/api/', startTimeoutMs: 60_000 },
      gitlab: { url: 'https://gitlab.com', maxPages: 500, api: 'auto', oauth: null, allowedNamespaces: [] },
      creators: null,
      usageAllowedHosts: null,
      databasePath: './data/wgbot.db',
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      syncIntervalMinutes: 15,
      digestCatchUpMs: 6 * 3_600_000,
      syncBudgetMs: 300_000,
      import: { fiscalYearStartMonth: 2, handbookUrl: null },
      ingress: { maxConnections: 1_000, maxConnectionsPerAddress: 100, untrustedPerAddress: 60 },
    });
  });

  it('reads the limits of the public port', () => {
    expect(
      loadConfig({
        HTTP_MAX_CONNECTIONS: '5000',
        HTTP_MAX_CONNECTIONS_PER_IP: '500',
        HTTP_UNVERIFIED_PER_IP: '120',
      }).ingress,
    ).toEqual({ maxConnections: 5_000, maxConnectionsPerAddress: 500, untrustedPerAddress: 120 });
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
    expect(() => loadConfig({ HTTP_UNVERIFIED_PER_IP: 'many' })).toThrow(/HTTP_UNVERIFIED_PER_IP/);
  });

  it('reads the digest catch-up window in hours (0: never caught up) and refuses one over a week', () => {
    expect(loadConfig({ DIGEST_CATCHUP_HOURS: '1.5' }).digestCatchUpMs).toBe(5_400_000);
    expect(loadConfig({ DIGEST_CATCHUP_HOURS: '0' }).digestCatchUpMs).toBe(0);
    expect(() => loadConfig({ DIGEST_CATCHUP_HOURS: '200' })).toThrow(/DIGEST_CATCHUP_HOURS/);
    expect(() => loadConfig({ DIGEST_CATCHUP_HOURS: 'soon' })).toThrow(/DIGEST_CATCHUP_HOURS/);
  });

  it('reads who may do what: GitLab sign-in (all three or none), allowed namespaces, creators', () => {
    const config = loadConfig({
      GITLAB_OAUTH_CLIENT_ID: 'app',
      GITLAB_OAUTH_CLIENT_SECRET: 'oauth-secret-value',
      WGBOT_PUBLIC_URL: 'https://wgbot.example.com/',
      GITLAB_ALLOWED_NAMESPACES: 'acme, tools/ci/',
      WGBOT_CREATORS: '@wg-creators',
    });
    expect(config.gitlab).toMatchObject({
      oauth: {
        clientId: 'app',
        clientSecret: 'oauth-secret-value',
        redirectUri: 'https://wgbot.example.com/gitlab/oauth/callback',
      },
      allowedNamespaces: ['acme', 'tools/ci'],
    });
    expect(config.creators).toBe('wg-creators');
    const partial = () =>
      loadConfig({ GITLAB_OAUTH_CLIENT_ID: 'app', GITLAB_OAUTH_CLIENT_SECRET: 'shh-secret' });
    expect(partial).toThrow(/GitLab sign-in \(\/wg connect\) also needs WGBOT_PUBLIC_URL/);
    expect(partial).not.toThrow(/shh-secret/);
    expect(() => loadConfig({ WGBOT_CREATORS: 'two words' })).toThrow(/WGBOT_CREATORS/);
  });

  it('reads how pages are imported: the fiscal year start month and the handbook URL', () => {
    expect(
      loadConfig({ FISCAL_YEAR_START_MONTH: '7', HANDBOOK_URL: 'https://handbook.example.com' }).import,
    ).toEqual({
      fiscalYearStartMonth: 7,
      handbookUrl: 'https://handbook.example.com',
    });
    expect(() => loadConfig({ FISCAL_YEAR_START_MONTH: '13' })).toThrow(/FISCAL_YEAR_START_MONTH/);
    expect(() => loadConfig({ HANDBOOK_URL: 'not a url' })).toThrow(/HANDBOOK_URL/);
  });

  it('reads the bounds on a sync: pages per GitLab listing and seconds per group', () => {
    const config = loadConfig({ GITLAB_MAX_PAGES: '20', SYNC_BUDGET_SECONDS: '90' });
    expect(config.gitlab.maxPages).toBe(20);
    expect(config.syncBudgetMs).toBe(90_000);
    expect(() => loadConfig({ GITLAB_MAX_PAGES: '0' })).toThrow(/GITLAB_MAX_PAGES/);
    expect(() => loadConfig({ SYNC_BUDGET_SECONDS: 'soon' })).toThrow(/SYNC_BUDGET_SECONDS/);
  });

  it('treats empty variables as unset and normalises URLs', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: '',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
      GITLAB_URL: 'https://git.example.com/',
    });
    expect(config.slack).toEqual({ apiUrl: 'http://127.0.0.1:9/api/', startTimeoutMs: 60_000 });
    expect(config.gitlab.url).toBe('https://git.example.com');
  });

  it('names a bad variable without echoing its value', () => {
    let error: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', PORT: 'eighty' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
    expect((error as Error).message).toMatch(/PORT/);
    expect((error as Error).message).not.toContain('xoxp-user-token-secret');
  });

  it('takes HOST as an address or a host name, never with a port or a scheme', () => {
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: '' }).host).toBe('0.0.0.0');
    for (const bad of ['127.0.0.1:3000', 'http://localhost', 'two words'])
      expect(() => loadConfig({ HOST: bad }), bad).toThrow(/HOST must be an IP address or a host name/);
  });

  it('turns the sync interval into cron', () => {
    expect(syncCron(15)).toBe('*/15 * * * *');
    expect(syncCron(120)).toBe('0 */2 * * *');
    expect(() => loadConfig({ SYNC_INTERVAL_MINUTES: '90' })).toThrow(
      /must divide an hour .* or a day in whole hours/,
    );
    expect(() => loadConfig({ SYNC_INTERVAL_MINUTES: '45' })).toThrow(/must divide an hour/);
    expect(() => loadConfig({ SYNC_INTERVAL_MINUTES: '300' })).toThrow(/or a day in whole hours/);
    expect(loadConfig({ SYNC_INTERVAL_MINUTES: '20' }).syncIntervalMinutes).toBe(20);
    expect(loadConfig({ SYNC_INTERVAL_MINUTES: '360' }).syncIntervalMinutes).toBe(360);
  });
});
