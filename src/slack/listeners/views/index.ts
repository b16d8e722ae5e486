import type { App } from '@slack/bolt';
import { VIEWS } from '../../views/actionIds.js';
import type { Listening } from '../deps.js';
import { assessmentSubmitted } from './assessmentSubmitted.js';
import { createGroup } from './createGroup.js';
import { blockedForm, onItForm } from './ladderForms.js';

/** Submissions of the forms wgbot opens: the create form and the self-assessment form (the status modal has no submit). */
export function registerViews(app: App, deps: Listening): void {
  app.view(VIEWS.createGroup, createGroup(deps));
  app.view(VIEWS.ladderOnIt, onItForm(deps));
  app.view(VIEWS.ladderBlocked, blockedForm(deps));
  app.view(VIEWS.assessment, assessmentSubmitted(deps));
}
