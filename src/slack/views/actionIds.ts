/** Every action and view id wgbot puts in Block Kit; the listeners register exactly these (a test checks it). */
export const ACTIONS = {
  itemDone: 'item_done',
  itemSnooze: 'item_snooze',
  itemOpen: 'item_open',
  itemDueDate: 'item_due_date',
  openStatus: 'open_status',
  listPrevious: 'list_previous',
  listNext: 'list_next',
  driftCreateStory: 'drift_create_story',
  driftTickLine: 'drift_tick_line',
  ladderOnIt: 'ladder_on_it',
  ladderBlocked: 'ladder_blocked',
  writebackOpen: 'writeback_open',
  assessOpen: 'assess_open',
  assessIssues: 'assess_issues',
} as const;

export const VIEWS = {
  createGroup: 'wg_create',
  status: 'wg_status',
  ladderOnIt: 'ladder_on_it_form',
  ladderBlocked: 'ladder_blocked_form',
  assessment: 'wg_assessment',
} as const;

/** Where an item's buttons were shown, so the same view can be re-rendered in place after a click. */
export type ItemViewContext =
  { view: 'items'; slug: string; filter: string } | { view: 'home' } | { view: 'nudge' };

export function encodeContext(itemId: number, ctx: ItemViewContext): string {
  const tail = ctx.view === 'items' ? `items|${ctx.slug}|${ctx.filter}` : ctx.view;
  return `item|${itemId}|${tail}`.slice(0, 255);
}

export function decodeContext(blockId: string | undefined): { itemId: number; ctx: ItemViewContext } | null {
  const parts = (blockId ?? '').split('|');
  if (parts[0] !== 'item' || !/^\d+$/.test(parts[1] ?? '')) return null;
  const itemId = Number(parts[1]);
  if (parts[2] === 'items' && parts[3] && parts[4])
    return { itemId, ctx: { view: 'items', slug: parts[3], filter: parts[4] } };
  if (parts[2] === 'home') return { itemId, ctx: { view: 'home' } };
  if (parts[2] === 'nudge') return { itemId, ctx: { view: 'nudge' } };
  return null;
}
