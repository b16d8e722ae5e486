import type { App, RespondFn } from '@slack/bolt';
import { storeFailureReason } from '../store/storeErrors.js';
import { storeFailureView } from './views/feedback.js';

/**
 * Whatever a listener was doing (a button, a form, a command), a full or failing disk is told to the
 * person who asked — "wgbot could not save: the disk is full" — rather than nothing, or a message that
 * blames Slack. The error still goes on to Bolt's error handler, which logs it.
 */
export function tellStoreFailures(app: App): void {
  app.use(async (args) => {
    try {
      await args.next();
    } catch (error) {
      const failure = storeFailureReason(error);
      const respond = (args as { respond?: RespondFn }).respond;
      if (failure && respond) {
        const view = storeFailureView(failure.reason);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: view.text,
          blocks: view.blocks,
        }).catch(() => undefined);
      }
      throw error;
    }
  });
}
