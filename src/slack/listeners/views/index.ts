import type { App } from '@slack/bolt';
import { VIEWS } from '../../views/actionIds.js';
import type { Listening } from '../deps.js';
import { createGroup } from './createGroup.js';

/** Submissions of the forms wgbot opens: the create form (the status modal has no submit). */
export function registerViews(app: App, deps: Listening): void {
  app.view(VIEWS.createGroup, createGroup(deps));
}
