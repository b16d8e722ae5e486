import { isTimeZone } from '../../domain/dates.js';
import { holds } from '../gate.js';
import { scheduleOffView, scheduleView } from '../views/notices.js';
import { fail, ok } from './args.js';
import { groupCommand, type Parsed, privately } from './command.js';

const EXAMPLE = '/wg schedule "MON 09:00" Europe/Berlin';

type ScheduleArgs =
  | { action: 'show' }
  | { action: 'off' }
  | { action: 'set'; days: number[]; hour: number; minute: number; timeZone: string | null };

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

/** `"MON 09:00" [Zone]`, `MON 09:00 [Zone]`, `weekdays 8:30`, `off`; the CLI's `wgbot schedule` reads the same. */
export function parseSchedule(words: string[]): Parsed<ScheduleArgs> {
  if (words.length === 0) return ok({ action: 'show' });
  if (words.length === 1 && /^(off|none|stop|disable)$/i.test(words[0]!)) return ok({ action: 'off' });
  // Accept "MON 09:00" as one quoted token or as two tokens.
  const split = words.flatMap((a, i) => (i === 0 ? a.split(/\s+/) : [a]));
  const [dayWord, timeWord, zone, ...extra] = split;
  const days = DAYS[(dayWord ?? '').toLowerCase().replace(/[.,]$/, '')];
  const time = timeWord ? parseTime(timeWord) : null;
  if (!days) return fail(`\`${dayWord}\` is not a day: use MON … SUN, \`weekdays\` or \`daily\`.`, EXAMPLE);
  if (!time)
    return fail(`\`${timeWord ?? ''}\` is not a time: use 24-hour \`HH:MM\`, like \`09:00\`.`, EXAMPLE);
  if (extra.length > 0) return fail(`Too many words after the time zone: \`${extra.join(' ')}\`.`, EXAMPLE);
  if (zone !== undefined && !isTimeZone(zone))
    return fail(
      `\`${zone}\` is not a time zone: use an IANA name like \`Europe/Berlin\` or \`America/New_York\`.`,
      EXAMPLE,
    );
  return ok({ action: 'set', days, ...time, timeZone: zone ?? null });
}

/** `/wg schedule`: when the channel's group gets its weekly digest; facilitators change it. */
export const scheduleCommand = groupCommand({
  name: 'schedule',
  usage: 'schedule "MON 09:00" [time zone] | off',
  example: EXAMPLE,
  summary: 'when the weekly digest is posted (facilitators)',
  answersInAck: false,
  requires: (args: ScheduleArgs) => (args.action === 'show' ? 'anyone' : 'facilitator'),
  refusal: 'change the digest schedule',
  slug: () => null,
  parse: parseSchedule,
  async run(ctx, args, deps) {
    const { group, userId } = ctx;
    if (args.action === 'show')
      return privately(scheduleView(group, group.digestTimezone ?? group.timezone, false));
    if (!holds(ctx, 'facilitator')) throw new Error('/wg schedule ran without the facilitator check');
    if (args.action === 'off') return privately(scheduleOffView(deps.writes.setSchedule(ctx, 'off', null)));
    const timeZone = args.timeZone ?? (await deps.identity.timeZoneOf(userId, group.timezone));
    const cron = `${args.minute} ${args.hour} * * ${args.days.join(',')}`;
    return privately(scheduleView(deps.writes.setSchedule(ctx, cron, timeZone), timeZone, true));
  },
});
