import type { App } from '@slack/bolt';
import type { Listening } from '../deps.js';
import { WG_COMMAND, wgCommand } from './wg.js';

export { WG_COMMAND } from './wg.js';

/** The slash commands: `/wg` only (the manifest declares exactly these; a test checks it). */
export function registerCommands(app: App, deps: Listening): void {
  app.command(WG_COMMAND, wgCommand(deps));
}
