import type { App } from '@slack/bolt';
import type { Listening } from '../deps.js';
import { appHomeOpened } from './appHomeOpened.js';

/** The events wgbot subscribes to (`SUBSCRIBED_EVENTS`, the manifest's `bot_events`; a test checks both). */
export function registerEvents(app: App, deps: Listening): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
