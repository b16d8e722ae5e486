import type { App, BlockAction, ButtonAction, DatepickerAction } from '@slack/bolt';
import { ACTIONS } from '../../views/actionIds.js';
import { assessIssues } from './assessIssues.js';
import { assessOpen } from './assessOpen.js';
import type { Listening } from '../deps.js';
import { driftFix } from './driftFix.js';
import { itemDone } from './itemDone.js';
import { itemDueDate } from './itemDueDate.js';
import { itemOpen } from './itemOpen.js';
import { itemSnooze } from './itemSnooze.js';
import { ladderButton } from './ladderButtons.js';
import { listPage } from './listPage.js';
import { openStatus } from './openStatus.js';
import { writebackOpen } from './writeback.js';

/** Every button and picker wgbot draws (`ACTIONS`), one listener each; a test checks none is missing. */
export function registerActions(app: App, deps: Listening): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.itemDone, itemDone(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.itemSnooze, itemSnooze(deps));
  app.action<BlockAction<DatepickerAction>>(ACTIONS.itemDueDate, itemDueDate(deps));
  app.action(ACTIONS.itemOpen, itemOpen());
  app.action<BlockAction<ButtonAction>>(ACTIONS.openStatus, openStatus(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.listPrevious, listPage(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.listNext, listPage(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.driftCreateStory, driftFix(deps, 'createStory'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.driftTickLine, driftFix(deps, 'tickLine'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ladderOnIt, ladderButton(deps, 'on-it'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ladderBlocked, ladderButton(deps, 'blocked'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.writebackOpen, writebackOpen(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.assessOpen, assessOpen(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.assessIssues, assessIssues(deps));
}
