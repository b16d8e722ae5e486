import { z } from 'zod';
import { parseNamespaceList } from './domain/access.js';

/** Every environment variable wgbot reads (README, docs/contracts.md and .env.example list the same ones). */
const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  SLACK_START_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  GITLAB_URL: z.url().default('https://gitlab.com'),
  GITLAB_TOKEN: z.string().min(1).optional(),
  GITLAB_WEBHOOK_SECRET: z.string().min(1).optional(),
  // The most pages one GitLab listing may take (100 rows each); GitLab's own x-total-pages, when sent, is
  // held to as well.
  GITLAB_MAX_PAGES: z.coerce.number().int().min(1).max(100_000).default(500),
  // Which API epics are read through: GraphQL work items where the instance offers them ('auto'), or always one.
  GITLAB_API: z.enum(['auto', 'rest', 'graphql']).default('auto'),
  // How long one group's sync may take, waits for GitLab's rate limit included.
  SYNC_BUDGET_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  DATABASE_PATH: z.string().min(1).default('./data/wgbot.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Every interface by default, as a container needs; behind a proxy on the same host, 127.0.0.1.
  HOST: z
    .union([z.ipv4(), z.ipv6(), z.hostname()], 'must be an IP address or a host name, without a port')
    .default('0.0.0.0'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HEALTHZ_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SYNC_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    // Cron steps restart every hour (and every day): 45 would sync at :00 and :45, fifteen minutes apart.
    .refine(
      (m) => (m < 60 && 60 % m === 0) || (m % 60 === 0 && 24 % (m / 60) === 0),
      'must divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) or a day in whole hours (60, 120, 180, 240, 360, 480, 720, 1440)',
    )
    .default(15),
  // How long after its minute a digest missed while wgbot was down is still posted (0: never caught up).
  DIGEST_CATCHUP_HOURS: z.coerce.number().min(0).max(168).default(6),
  // The month fiscal years start in; FY24 is the one that ends in 2024 (GitLab's: February 2023 – January 2024).
  FISCAL_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(2),
  // Relative links on imported pages ('/handbook/…') are resolved against this.
  HANDBOOK_URL: z.url().optional(),
  // The GitLab project (path) holding the handbook pages: `wgbot writeback` opens merge requests there.
  HANDBOOK_PROJECT: z
    .string()
    .regex(/^[\w.-]+(?:\/[\w.-]+)+$/, 'must be a GitLab project path like group/handbook')
    .optional(),
  // What the public port takes before a request is verified (README: Limits on the public port).
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(10).max(100_000).default(1_000),
  HTTP_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100),
  HTTP_UNVERIFIED_PER_IP: z.coerce.number().int().min(1).max(100_000).default(60),
  // /wg connect: GitLab's OAuth2 provider, with wgbot's public URL for the callback.
  GITLAB_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  GITLAB_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  WGBOT_PUBLIC_URL: z.url().optional(),
  GITLAB_ALLOWED_NAMESPACES: z
    .string()
    .regex(/^[\w.\-/, ]*$/, 'must be comma-separated group or project paths')
    .optional(),
  // Hosts (name, or name:port) a group's usage source may be on; unset: usage sources are off (SSRF guard).
  USAGE_ALLOWED_HOSTS: z
    .string()
    .regex(/^[\w.\-:[\], ]*$/, 'must be comma-separated host names or host:port')
    .optional(),
  WGBOT_CREATORS: z
    .string()
    .regex(/^@?[\w.-]+$/, 'must be a Slack user group handle or ID')
    .optional(),
});

export type Config = {
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl: string;
    /** How long `serve` tries to reach Slack at start before it gives up (exit 1). */
    startTimeoutMs: number;
  };
  gitlab: {
    url: string;
    token?: string;
    webhookSecret?: string;
    maxPages: number;
    /** GITLAB_API: epics through REST, GraphQL work items, or whichever the instance offers. */
    api: 'auto' | 'rest' | 'graphql';
    /** GITLAB_OAUTH_CLIENT_ID and _SECRET, with the callback on WGBOT_PUBLIC_URL: /wg connect signs in. */
    oauth: { clientId: string; clientSecret: string; redirectUri: string } | null;
    /** GITLAB_ALLOWED_NAMESPACES: paths that may be linked (and what is under them); empty: any. */
    allowedNamespaces: string[];
  };
  /** WGBOT_CREATORS: the Slack user group (handle or ID) whose members may create groups; null: admins. */
  creators: string | null;
  /** USAGE_ALLOWED_HOSTS: hosts (or host:port) usage sources may be on; null: usage sources are off. */
  usageAllowedHosts: string[] | null;
  databasePath: string;
  port: number;
  /** The address `serve` listens on (HTTP mode, and Socket Mode's webhook and health server). */
  host: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  syncIntervalMinutes: number;
  /** How long after its minute a missed scheduled digest is still posted (late); beyond it, skipped. */
  digestCatchUpMs: number;
  /** How long one group's sync may take before it stops, recording why. */
  syncBudgetMs: number;
  /** When set, /healthz shows its details only to `Authorization: Bearer <token>`; others get the status. */
  healthzToken?: string;
  /** How imported pages are read: fiscal dates and relative links. */
  import: { fiscalYearStartMonth: number; handbookUrl: string | null };
  /** HANDBOOK_PROJECT: where `wgbot writeback` opens merge requests on groups' pages (needs the api scope). */
  handbookProject?: string;
  /** Caps on the public port: connections in all and per address, unverified requests per address. */
  ingress: { maxConnections: number; maxConnectionsPerAddress: number; untrustedPerAddress: number };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty strings count as unset: `FOO=` in an env file must not turn into a blank token. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

/** The OAuth application, when all three of its variables are set; some but not all is a mistake. */
function oauthConfig(e: z.infer<typeof EnvSchema>): Config['gitlab']['oauth'] {
  const parts = {
    GITLAB_OAUTH_CLIENT_ID: e.GITLAB_OAUTH_CLIENT_ID,
    GITLAB_OAUTH_CLIENT_SECRET: e.GITLAB_OAUTH_CLIENT_SECRET,
    WGBOT_PUBLIC_URL: e.WGBOT_PUBLIC_URL,
  };
  const missing = Object.entries(parts)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  if (missing.length === 3) return null;
  if (missing.length > 0)
    throw new ConfigError(
      `invalid environment: GitLab sign-in (/wg connect) also needs ${missing.join(' and ')}`,
    );
  return {
    clientId: e.GITLAB_OAUTH_CLIENT_ID!,
    clientSecret: e.GITLAB_OAUTH_CLIENT_SECRET!,
    redirectUri: `${e.WGBOT_PUBLIC_URL!.replace(/\/+$/, '')}/gitlab/oauth/callback`,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    // Name the variable and the rule, never echo the value: it may be a token.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new ConfigError(`invalid environment: ${problems}`);
  }
  const e = parsed.data;
  const drop = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    slack: drop({
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      startTimeoutMs: e.SLACK_START_TIMEOUT_SECONDS * 1000,
    }),
    gitlab: {
      ...drop({
        url: e.GITLAB_URL.replace(/\/+$/, ''),
        token: e.GITLAB_TOKEN,
        webhookSecret: e.GITLAB_WEBHOOK_SECRET,
        maxPages: e.GITLAB_MAX_PAGES,
      }),
      api: e.GITLAB_API,
      oauth: oauthConfig(e),
      allowedNamespaces: parseNamespaceList(e.GITLAB_ALLOWED_NAMESPACES),
    },
    creators: e.WGBOT_CREATORS?.replace(/^@/, '') ?? null,
    usageAllowedHosts:
      e.USAGE_ALLOWED_HOSTS === undefined
        ? null
        : e.USAGE_ALLOWED_HOSTS.split(',')
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean),
    databasePath: e.DATABASE_PATH,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    syncIntervalMinutes: e.SYNC_INTERVAL_MINUTES,
    digestCatchUpMs: Math.round(e.DIGEST_CATCHUP_HOURS * 3_600_000),
    syncBudgetMs: e.SYNC_BUDGET_SECONDS * 1000,
    ...(e.HEALTHZ_TOKEN ? { healthzToken: e.HEALTHZ_TOKEN } : {}),
    ...(e.HANDBOOK_PROJECT ? { handbookProject: e.HANDBOOK_PROJECT } : {}),
    import: { fiscalYearStartMonth: e.FISCAL_YEAR_START_MONTH, handbookUrl: e.HANDBOOK_URL ?? null },
    ingress: {
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerAddress: e.HTTP_MAX_CONNECTIONS_PER_IP,
      untrustedPerAddress: e.HTTP_UNVERIFIED_PER_IP,
    },
  };
}
