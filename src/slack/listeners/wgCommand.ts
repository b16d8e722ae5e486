import type { App, RespondFn } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { type CommandHandlers, type Invocation, isFastCommand, type Reply } from '../commands/handlers.js';
import { parseWgCommand } from '../commands/parse.js';
import type { SlackDirectory } from '../directory.js';
import { noticeView, usageErrorView } from '../views/feedback.js';

export const WG_COMMAND = '/wg';

function payload(reply: Reply) {
  return {
    response_type: reply.inChannel ? ('in_channel' as const) : ('ephemeral' as const),
    text: reply.view.text,
    blocks: reply.view.blocks,
  };
}

/**
 * `/wg`: parse, call a service, render. Reads answer inside the acknowledgement (straight from SQLite);
 * everything that talks to Slack or GitLab or changes things acks at once and answers via response_url.
 * Whatever goes wrong, the person gets a message — never silence, never a stack trace.
 */
export function registerWgCommand(
  app: App,
  deps: { handlers: CommandHandlers; directory: SlackDirectory; logger: Logger },
): void {
  app.command(WG_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = parseWgCommand(command.text ?? '');
    const invocation: Invocation = {
      userId: command.user_id,
      channelId: command.channel_id,
      channelName:
        command.channel_name && command.channel_name !== 'directmessage' ? command.channel_name : null,
      triggerId: command.trigger_id,
      client,
    };
    const log = deps.logger.child({
      command: parsed.ok ? parsed.command.name : 'invalid',
      user: command.user_id,
    });

    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...usageErrorView(parsed.error, parsed.suggestion) });
      return;
    }
    if (isFastCommand(parsed.command)) {
      let reply: Reply;
      try {
        reply = deps.handlers.fast(parsed.command, invocation);
      } catch (error) {
        log.error({ err: (error as Error).message }, '/wg failed');
        reply = {
          view: noticeView(
            ':warning:',
            'Something went wrong on wgbot’s side; it is logged. Please try again.',
          ),
          inChannel: false,
        };
      }
      await ack(payload(reply));
      // Learn the reader's time zone for next time, after answering.
      void deps.directory.user(command.user_id).catch(() => undefined);
      return;
    }
    await ack();
    await answerLater(parsed.command, invocation, respond, deps, log);
  });
}

async function answerLater(
  command: Parameters<CommandHandlers['slow']>[0],
  invocation: Invocation,
  respond: RespondFn,
  deps: { handlers: CommandHandlers },
  log: Logger,
): Promise<void> {
  let reply: Reply | null;
  try {
    reply = await deps.handlers.slow(command, invocation);
  } catch (error) {
    log.error({ err: (error as Error).message }, '/wg failed');
    reply = {
      view: noticeView(
        ':warning:',
        'Something went wrong on wgbot’s side; it is logged. Please try again in a minute.',
      ),
      inChannel: false,
    };
  }
  if (!reply) return;
  try {
    await respond(payload(reply));
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not answer via response_url');
  }
}
