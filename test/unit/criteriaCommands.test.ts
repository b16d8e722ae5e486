import { describe, expect, it } from 'vitest';
import { parseWgCommand } from '../../src/slack/commands/parse.js';

/** `/wg criteria set|owner` and `/wg history`: what they take, and what they refuse with a hint. */
describe('/wg criteria set|owner and /wg history', () => {
  it.each([
    [
      'criteria set 2 40%',
      { name: 'criteria', action: 'edit', slug: null, path: '2', edit: { percent: 40 } },
    ],
    [
      'criteria set 1.2 12.5 %',
      { name: 'criteria', action: 'edit', slug: null, path: '1.2', edit: { percent: 12.5 } },
    ],
    [
      'criteria db-scale set 3 none',
      { name: 'criteria', action: 'edit', slug: 'db-scale', path: '3', edit: { percent: null } },
    ],
    [
      'criteria owner 2 "Grace Hopper"',
      { name: 'criteria', action: 'edit', slug: null, path: '2', edit: { owner: 'Grace Hopper' } },
    ],
    [
      'criteria owner 2 Grace Hopper',
      { name: 'criteria', action: 'edit', slug: null, path: '2', edit: { owner: 'Grace Hopper' } },
    ],
    [
      'criteria owner 2 none',
      { name: 'criteria', action: 'edit', slug: null, path: '2', edit: { owner: null } },
    ],
    ['criteria share', { name: 'criteria', action: 'list', slug: null, share: true }],
    ['history', { name: 'history', slug: null, path: null, share: false }],
    ['history 2', { name: 'history', slug: null, path: '2', share: false }],
    ['history db-scale 1.3 share', { name: 'history', slug: 'db-scale', path: '1.3', share: true }],
  ])('%s', (text, command) => {
    const result = parseWgCommand(text);
    expect(result.ok && result.command).toEqual(command);
  });

  it.each([
    ['criteria set two 40%', 'by its number'],
    ['criteria set 2 140%', 'from 0 to 100'],
    ['criteria set 2 lots', 'from 0 to 100'],
    ['criteria set 2', 'Say what to set'],
    ['criteria owner', 'by its number'],
    ['history db-scale two', 'by its number'],
    ['history 1 2', 'Unexpected'],
  ])('refuses %s', (text, reason) => {
    const result = parseWgCommand(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });
});
