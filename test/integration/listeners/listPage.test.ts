import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Seeded, startSeeded, textOf } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
  const store = s.wgbot.server.store;
  for (let i = 1; i <= 45; i += 1)
    store.groups.insert(`extra-${String(i).padStart(2, '0')}`, { name: `Extra ${i}` }, s.clock.now());
});
afterEach(() => s.stop());

const turn = (actionId: string, value: string, id: string) =>
  s.wgbot.interact(
    blockAction(
      'U0ADA',
      { action_id: actionId, block_id: 'list', value },
      { response_url: s.slack.responseUrl(id) },
    ),
  );

describe('listeners/actions/listPage', () => {
  it('turns the /wg list message to the asked-for page in place', async () => {
    await turn('list_next', '2', 'next');
    const next = await s.later('next');
    expect(next.replace_original).toBe(true);
    expect(textOf(next)).toContain('page 2 of 2');
    await turn('list_previous', '1', 'previous');
    expect(textOf(await s.later('previous'))).toContain('page 1 of 2');
  });

  it('shows the first page for a value that is not a page number', async () => {
    await turn('list_next', 'drop table', 'odd');
    expect(textOf(await s.later('odd'))).toContain('page 1 of 2');
  });
});
