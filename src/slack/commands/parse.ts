import { closest, distance } from 'fastest-levenshtein';
import { isTimeZone } from '../../domain/dates.js';

/** `/wg …` after parsing: pure data, so the listener only dispatches and nothing here touches Slack or the DB. */
export type WgCommand =
  | { name: 'help'; topic: string | null }
  | { name: 'status'; slug: string | null; share: boolean }
  | { name: 'list'; page: number; share: boolean }
  | { name: 'items'; filter: ItemFilter; slug: string | null }
  | { name: 'criteria'; slug: string | null; share: boolean }
  | { name: 'sync'; slug: string | null; full: boolean }
  | { name: 'digest'; mode: 'preview' | 'now'; slug: string | null }
  | { name: 'nudge'; slug: string | null }
  | { name: 'archive' | 'unarchive'; slug: string | null }
  | { name: 'metrics'; slug: string | null }
  | { name: 'link'; url: string; criterion: string | null; remove: boolean }
  | { name: 'create' }
  | { name: 'bind'; slug: string }
  | { name: 'role'; action: 'add' | 'remove'; userId: string; role: string | null }
  | { name: 'role'; action: 'list' }
  | { name: 'schedule'; action: 'show' }
  | { name: 'schedule'; action: 'off' }
  | {
      name: 'schedule';
      action: 'set';
      days: number[];
      hour: number;
      minute: number;
      timeZone: string | null;
    };

export type ItemFilter =
  { kind: 'all' } | { kind: 'mine' } | { kind: 'overdue' } | { kind: 'sprint'; number: number | null };

export type ParseResult =
  { ok: true; command: WgCommand } | { ok: false; error: string; suggestion: string | null };

/** Every sub-command with the example `/wg help` shows; also what "did you mean" picks from. */
export const SUBCOMMANDS: { name: WgCommand['name']; usage: string; example: string; summary: string }[] = [
  {
    name: 'status',
    usage: 'status [slug] [share]',
    example: '/wg status',
    summary: 'exit criteria, this sprint, overdue items and roles',
  },
  {
    name: 'items',
    usage: 'items [mine|overdue|sprint N] [slug]',
    example: '/wg items overdue',
    summary: 'action items, filtered',
  },
  {
    name: 'criteria',
    usage: 'criteria [slug] [share]',
    example: '/wg criteria',
    summary: 'every exit criterion and where its figure comes from',
  },
  {
    name: 'list',
    usage: 'list [page] [share]',
    example: '/wg list',
    summary: 'all working groups with overall progress and days to target',
  },
  {
    name: 'sync',
    usage: 'sync [slug]',
    example: '/wg sync',
    summary: 'fetch the latest from GitLab now (in the background)',
  },
  {
    name: 'digest',
    usage: 'digest [preview|now] [slug]',
    example: '/wg digest preview',
    summary: 'see the weekly digest, or post it now (facilitators)',
  },
  {
    name: 'nudge',
    usage: 'nudge [slug]',
    example: '/wg nudge',
    summary: 'remind owners of overdue items by DM now (facilitators)',
  },
  {
    name: 'metrics',
    usage: 'metrics [slug]',
    example: '/wg metrics',
    summary: 'DevOps key metrics of the linked projects',
  },
  {
    name: 'link',
    usage: 'link <gitlab-url> [criterion N]',
    example: '/wg link https://gitlab.com/groups/acme/-/epics/42',
    summary: 'link an epic, milestone or labelled issue list (facilitators)',
  },
  {
    name: 'archive',
    usage: 'archive [slug]',
    example: '/wg archive',
    summary: 'end the group: no more digests or nudges, off the lists (facilitators)',
  },
  {
    name: 'unarchive',
    usage: 'unarchive [slug]',
    example: '/wg unarchive improve-ops-quality',
    summary: 'make an ended or paused group active again (facilitators)',
  },
  { name: 'create', usage: 'create', example: '/wg create', summary: 'start a new working group in a form' },
  {
    name: 'bind',
    usage: 'bind <slug>',
    example: '/wg bind improve-ops-quality',
    summary: 'make this channel the home of a working group (facilitators)',
  },
  {
    name: 'role',
    usage: 'role add|remove @user <role>',
    example: '/wg role add @ada facilitator',
    summary: 'give or take a role (facilitators)',
  },
  {
    name: 'schedule',
    usage: 'schedule "MON 09:00" [time zone] | off',
    example: '/wg schedule "MON 09:00" Europe/Berlin',
    summary: 'when the weekly digest is posted (facilitators)',
  },
  { name: 'help', usage: 'help', example: '/wg help', summary: 'this list' },
];

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const DAYS: Record<string, number[]> = {
  sun: [0],
  sunday: [0],
  mon: [1],
  monday: [1],
  tue: [2],
  tues: [2],
  tuesday: [2],
  wed: [3],
  wednesday: [3],
  thu: [4],
  thur: [4],
  thurs: [4],
  thursday: [4],
  fri: [5],
  friday: [5],
  sat: [6],
  saturday: [6],
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
};

/**
 * Slack escapes `&`, `<` and `>` in what the user typed (the manifest's `should_escape` turns mentions and
 * links into `<…>` entities, and everything else arrives HTML-escaped): this gives back the typed text.
 */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Splits like a shell: "double quotes" (also “curly” ones) keep spaces; Slack's `<…>` entities stay whole
 * (links, mentions); everything else is unescaped back to what was typed.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /<[^>]*>|"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const quoted = match[1] ?? match[2];
    tokens.push(
      quoted !== undefined
        ? unescapeSlack(quoted)
        : match[0].startsWith('<')
          ? match[0]
          : unescapeSlack(match[0]),
    );
  }
  return tokens.filter((t) => t.length > 0);
}

function fail(error: string, suggestion: string | null = null): ParseResult {
  return { ok: false, error, suggestion };
}

function ok(command: WgCommand): ParseResult {
  return { ok: true, command };
}

function usageOf(name: string): string {
  const sub = SUBCOMMANDS.find((s) => s.name === name)!;
  return `/wg ${sub.usage}`;
}

/** A slug, or an error that says what a slug looks like. */
function slugArg(token: string | undefined, name: string): string | null | ParseResult {
  if (token === undefined) return null;
  const lower = token.toLowerCase();
  if (SLUG.test(lower)) return lower;
  return fail(
    `\`${token}\` is not a working-group slug (like \`improve-ops-quality\`); \`/wg list\` shows them.`,
    usageOf(name),
  );
}

function isResult(value: unknown): value is ParseResult {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

/** '09:00', '9:30', '9am', '5pm' → hour and minute. */
function parseTime(text: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

function parseSchedule(args: string[]): ParseResult {
  if (args.length === 0) return ok({ name: 'schedule', action: 'show' });
  if (args.length === 1 && /^(off|none|stop|disable)$/i.test(args[0]!))
    return ok({ name: 'schedule', action: 'off' });
  // Accept "MON 09:00" as one quoted token or as two tokens.
  const words = args.flatMap((a, i) => (i === 0 ? a.split(/\s+/) : [a]));
  const [dayWord, timeWord, zone, ...extra] = words;
  const days = DAYS[(dayWord ?? '').toLowerCase().replace(/[.,]$/, '')];
  const time = timeWord ? parseTime(timeWord) : null;
  const example = '/wg schedule "MON 09:00" Europe/Berlin';
  if (!days) return fail(`\`${dayWord}\` is not a day: use MON … SUN, \`weekdays\` or \`daily\`.`, example);
  if (!time)
    return fail(`\`${timeWord ?? ''}\` is not a time: use 24-hour \`HH:MM\`, like \`09:00\`.`, example);
  if (extra.length > 0) return fail(`Too many words after the time zone: \`${extra.join(' ')}\`.`, example);
  if (zone !== undefined && !isTimeZone(zone)) {
    return fail(
      `\`${zone}\` is not a time zone: use an IANA name like \`Europe/Berlin\` or \`America/New_York\`.`,
      example,
    );
  }
  return ok({ name: 'schedule', action: 'set', days, ...time, timeZone: zone ?? null });
}

function parseRole(args: string[]): ParseResult {
  const [action, user, ...roleWords] = args;
  const example = '/wg role add @ada facilitator';
  if (action === 'list' || action === undefined) return ok({ name: 'role', action: 'list' });
  if (action !== 'add' && action !== 'remove')
    return fail(`\`/wg role\` takes \`add\`, \`remove\` or \`list\`, not \`${action}\`.`, example);
  const mention = user ? USER.exec(user) : null;
  if (!mention) {
    return fail(`Mention the person with @, like \`@ada\`${user ? `, not \`${user}\`` : ''}.`, example);
  }
  const role = roleWords.join(' ').trim();
  if (action === 'add' && !role)
    return fail('Say which role, like `facilitator`, `functional lead` or `member`.', example);
  return ok({ name: 'role', action, userId: mention[1]!, role: role || null });
}

function parseItems(args: string[]): ParseResult {
  const [first, second, third] = args;
  const filterWord = first?.toLowerCase();
  if (filterWord === 'mine' || filterWord === 'overdue' || filterWord === 'all') {
    const slug = slugArg(second, 'items');
    if (isResult(slug)) return slug;
    if (third !== undefined) return fail(`Unexpected \`${third}\`.`, usageOf('items'));
    return ok({ name: 'items', filter: { kind: filterWord }, slug });
  }
  if (filterWord === 'sprint') {
    let number: number | null = null;
    let rest = [second, third];
    if (second !== undefined && /^#?\d{1,4}$/.test(second)) {
      number = Number(second.replace('#', ''));
      rest = [third];
    }
    const slug = slugArg(rest[0], 'items');
    if (isResult(slug)) return slug;
    return ok({ name: 'items', filter: { kind: 'sprint', number }, slug });
  }
  if (first === undefined) return ok({ name: 'items', filter: { kind: 'all' }, slug: null });
  const filters = ['mine', 'overdue', 'sprint', 'all'];
  const near = closest(filterWord!, filters);
  if (distance(filterWord!, near) <= 2) return fail(`\`${first}\` is not a filter.`, `/wg items ${near}`);
  const slug = slugArg(first, 'items');
  if (isResult(slug))
    return fail(`\`${first}\` is not a filter: use \`mine\`, \`overdue\` or \`sprint N\`.`, '/wg items mine');
  return ok({ name: 'items', filter: { kind: 'all' }, slug });
}

function parseLink(args: string[]): ParseResult {
  const example = '/wg link https://gitlab.com/groups/acme/-/epics/42';
  let remove = false;
  let rest = args;
  if (rest[0] === 'remove' || rest[0] === 'unlink') {
    remove = true;
    rest = rest.slice(1);
  }
  const [rawUrl, ...more] = rest;
  if (!rawUrl) return fail('Give the GitLab URL of an epic, a milestone or a labelled issue list.', example);
  // A link Slack recognised arrives as `<https://…|label>`, with `&` in it as `&amp;`.
  const url = rawUrl.startsWith('<') ? unescapeSlack(rawUrl.replace(/^<|>$/g, '').split('|')[0]!) : rawUrl;
  if (!/^https?:\/\//i.test(url)) return fail(`\`${rawUrl}\` is not a URL.`, example);
  let criterion: string | null = null;
  if (more.length > 0) {
    const [word, value, ...extra] = more;
    const path = word === 'criterion' || word === '--criterion' ? value : word;
    if (
      !path ||
      !/^\d{1,3}(\.\d{1,3})*$/.test(path) ||
      extra.length > 0 ||
      (word !== 'criterion' && word !== '--criterion' && more.length > 1)
    ) {
      return fail(
        'After the URL, only `criterion N` (like `criterion 2` or `criterion 1.3`) may follow.',
        `${example} criterion 2`,
      );
    }
    criterion = path;
  }
  return ok({ name: 'link', url, criterion, remove });
}

/** Parses the text after `/wg`. Never throws: bad input gets an error and, where one is near, a valid command. */
export function parseWgCommand(text: string): ParseResult {
  const tokens = tokenize(text.trim());
  const [head, ...args] = tokens;
  if (!head) return ok({ name: 'help', topic: null });
  const name = head.toLowerCase();
  const share = (list: string[]) => {
    const i = list.findIndex((a) => /^(share|public|post)$/i.test(a));
    return i < 0 ? { share: false, rest: list } : { share: true, rest: list.filter((_, j) => j !== i) };
  };
  const noMore = (list: string[], usage: string): ParseResult | null =>
    list.length > 0 ? fail(`Unexpected \`${list.join(' ')}\`.`, usage) : null;

  switch (name) {
    case 'help':
    case '?':
      return ok({ name: 'help', topic: args[0]?.toLowerCase() ?? null });
    case 'status':
    case 'criteria': {
      const { share: shared, rest } = share(args);
      const slug = slugArg(rest[0], name);
      if (isResult(slug)) return slug;
      return noMore(rest.slice(1), usageOf(name)) ?? ok({ name, slug, share: shared });
    }
    case 'list': {
      const { share: shared, rest } = share(args);
      const [first, ...more] = rest;
      if (first !== undefined && !/^[1-9]\d{0,5}$/.test(first))
        return fail(`\`${first}\` is not a page number (like \`2\`).`, '/wg list 2');
      const page = first === undefined ? 1 : Number(first);
      return noMore(more, usageOf('list')) ?? ok({ name: 'list', page, share: shared });
    }
    case 'items':
      return parseItems(args);
    case 'sync': {
      const full = args.some((a) => a === 'full' || a === '--full');
      const rest = args.filter((a) => a !== 'full' && a !== '--full');
      const slug = slugArg(rest[0], 'sync');
      if (isResult(slug)) return slug;
      return noMore(rest.slice(1), usageOf('sync')) ?? ok({ name: 'sync', slug, full });
    }
    case 'digest': {
      const [first, ...rest] = args;
      const mode =
        first === 'now' || first === 'post'
          ? 'now'
          : first === 'preview' || first === undefined
            ? 'preview'
            : null;
      if (mode === null) {
        const slug = slugArg(first, 'digest');
        if (!isResult(slug) && slug)
          return noMore(rest, usageOf('digest')) ?? ok({ name: 'digest', mode: 'preview', slug });
        return fail(`\`/wg digest\` takes \`preview\` or \`now\`, not \`${first}\`.`, '/wg digest preview');
      }
      const slug = slugArg(rest[0], 'digest');
      if (isResult(slug)) return slug;
      return noMore(rest.slice(1), usageOf('digest')) ?? ok({ name: 'digest', mode, slug });
    }
    case 'nudge':
    case 'metrics':
    case 'archive':
    case 'unarchive': {
      const slug = slugArg(args[0], name);
      if (isResult(slug)) return slug;
      return noMore(args.slice(1), usageOf(name)) ?? ok({ name, slug });
    }
    case 'link':
      return parseLink(args);
    case 'unlink':
      return parseLink(['remove', ...args]);
    case 'create':
    case 'new':
      return noMore(args, '/wg create') ?? ok({ name: 'create' });
    case 'bind': {
      const slug = slugArg(args[0], 'bind');
      if (isResult(slug)) return slug;
      if (!slug)
        return fail('Say which working group this channel belongs to.', '/wg bind improve-ops-quality');
      return noMore(args.slice(1), usageOf('bind')) ?? ok({ name: 'bind', slug });
    }
    case 'role':
    case 'roles':
      return parseRole(args);
    case 'schedule':
      return parseSchedule(args);
    default: {
      const names = SUBCOMMANDS.map((s) => s.name);
      const near = closest(name, names);
      const suggestion = distance(name, near) <= Math.max(2, Math.floor(near.length / 2)) ? near : null;
      return fail(
        `\`${head}\` is not a \`/wg\` command.${suggestion ? '' : ' `/wg help` lists them all.'}`,
        suggestion ? SUBCOMMANDS.find((s) => s.name === suggestion)!.example : '/wg help',
      );
    }
  }
}
