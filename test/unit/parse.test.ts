import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWgCommand, tokenize } from '../../src/slack/commands/parse.js';

const ok = (text: string) => {
  const result = parseWgCommand(text);
  if (!result.ok) throw new Error(`expected ${text} to parse, got: ${result.error}`);
  return result.command;
};
const bad = (text: string) => {
  const result = parseWgCommand(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result;
};

describe('/wg parser', () => {
  it.each([
    ['', { name: 'help', topic: null }],
    ['help', { name: 'help', topic: null }],
    ['status', { name: 'status', slug: null, share: false }],
    ['status share', { name: 'status', slug: null, share: true }],
    ['status improve-ops-quality', { name: 'status', slug: 'improve-ops-quality', share: false }],
    ['STATUS Improve-Ops-Quality share', { name: 'status', slug: 'improve-ops-quality', share: true }],
    ['list', { name: 'list', page: 1, share: false }],
    ['list 3', { name: 'list', page: 3, share: false }],
    ['list share 2', { name: 'list', page: 2, share: true }],
    ['items', { name: 'items', filter: { kind: 'all' }, slug: null }],
    ['items mine', { name: 'items', filter: { kind: 'mine' }, slug: null }],
    ['items overdue devops-cicd', { name: 'items', filter: { kind: 'overdue' }, slug: 'devops-cicd' }],
    ['items sprint 21', { name: 'items', filter: { kind: 'sprint', number: 21 }, slug: null }],
    ['items sprint', { name: 'items', filter: { kind: 'sprint', number: null }, slug: null }],
    ['items devops-cicd', { name: 'items', filter: { kind: 'all' }, slug: 'devops-cicd' }],
    ['criteria', { name: 'criteria', action: 'list', slug: null, share: false }],
    ['sync', { name: 'sync', slug: null, full: false }],
    ['digest', { name: 'digest', mode: 'preview', slug: null }],
    ['digest now', { name: 'digest', mode: 'now', slug: null }],
    ['nudge', { name: 'nudge', slug: null }],
    ['create', { name: 'create' }],
    ['bind devops-cicd', { name: 'bind', slug: 'devops-cicd' }],
    [
      'link <https://gitlab.com/groups/g/-/epics/42>',
      { name: 'link', url: 'https://gitlab.com/groups/g/-/epics/42', criterion: null, remove: false },
    ],
    // Slack escapes `&` in slash-command text, inside links it recognised and outside them.
    [
      'link <https://gitlab.com/groups/acme/-/issues?state=opened&amp;label_name[]=wg>',
      {
        name: 'link',
        url: 'https://gitlab.com/groups/acme/-/issues?state=opened&label_name[]=wg',
        criterion: null,
        remove: false,
      },
    ],
    [
      'link https://gitlab.com/acme/app/-/issues?label_name[]=a&amp;label_name[]=b',
      {
        name: 'link',
        url: 'https://gitlab.com/acme/app/-/issues?label_name[]=a&label_name[]=b',
        criterion: null,
        remove: false,
      },
    ],
    [
      'link https://gitlab.com/g/p/-/issues/3 criterion 1.2',
      { name: 'link', url: 'https://gitlab.com/g/p/-/issues/3', criterion: '1.2', remove: false },
    ],
    [
      'role add <@U123ABC|ada> facilitator',
      { name: 'role', action: 'add', userId: 'U123ABC', role: 'facilitator' },
    ],
    [
      'role add <@U123ABC> functional lead',
      { name: 'role', action: 'add', userId: 'U123ABC', role: 'functional lead' },
    ],
    ['role remove <@U123ABC>', { name: 'role', action: 'remove', userId: 'U123ABC', role: null }],
    ['schedule', { name: 'schedule', action: 'show' }],
    ['schedule off', { name: 'schedule', action: 'off' }],
    [
      'schedule "MON 09:00" Europe/Berlin',
      { name: 'schedule', action: 'set', days: [1], hour: 9, minute: 0, timeZone: 'Europe/Berlin' },
    ],
    [
      'schedule “fri 4pm”',
      { name: 'schedule', action: 'set', days: [5], hour: 16, minute: 0, timeZone: null },
    ],
    [
      'schedule weekdays 08:30',
      { name: 'schedule', action: 'set', days: [1, 2, 3, 4, 5], hour: 8, minute: 30, timeZone: null },
    ],
  ])('%s', (text, command) => {
    expect(ok(text)).toEqual(command);
  });

  it.each([
    ['stauts', '/wg status'],
    ['itmes mine', '/wg items overdue'],
    ['lsit', '/wg list'],
    ['list next', '/wg list 2'],
    ['list 0', '/wg list 2'],
    ['list 2 3', '/wg list [page] [share]'],
    ['frobnicate', '/wg help'],
    ['items overdo', '/wg items overdue'],
    ['status Not A Slug!', '/wg status [slug] [share]'],
    ['schedule "XYZ 09:00"', '/wg schedule "MON 09:00" Europe/Berlin'],
    ['schedule "MON 25:00"', '/wg schedule "MON 09:00" Europe/Berlin'],
    ['schedule "MON 09:00" Mars/Olympus', '/wg schedule "MON 09:00" Europe/Berlin'],
    ['role add ada facilitator', '/wg role add @ada facilitator'],
    ['role add <@U1>', '/wg role add @ada facilitator'],
    ['link not-a-url', '/wg link https://gitlab.com/groups/acme/-/epics/42'],
    [
      'link https://x.y/-/epics/1 criterion two',
      '/wg link https://gitlab.com/groups/acme/-/epics/42 criterion 2',
    ],
    ['digest "some time"', '/wg digest preview'],
    ['status a b c', '/wg status [slug] [share]'],
  ])('refuses %s and suggests %s', (text, suggestion) => {
    const result = bad(text);
    expect(result.error.length).toBeGreaterThan(5);
    expect(result.suggestion).toContain(suggestion.replace(/ \[.*$/, ''));
  });

  it('keeps quoted strings and Slack entities whole', () => {
    expect(tokenize('a "b c" <@U1|d e> “f g” h')).toEqual(['a', 'b c', '<@U1|d e>', 'f g', 'h']);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseWgCommand(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'status',
            'items',
            'role',
            'add',
            '<@U1>',
            'sprint',
            '"',
            '21',
            'schedule',
            'link',
            'http://x',
            '<!channel>',
            'share',
          ),
          { maxLength: 8 },
        ),
        (words) => {
          expect(typeof parseWgCommand(words.join(' ')).ok).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
