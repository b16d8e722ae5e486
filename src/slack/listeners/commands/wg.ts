import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Logger } from '../../../logger.js';
import type { Call, Reply } from '../../commands/command.js';
import { answersInAck, dispatch } from '../../commands/dispatch.js';
import { parseWgCommand } from '../../commands/parse.js';
import { SUBCOMMANDS } from '../../commands/registry.js';
import { storeFailureReason } from '../../../store/storeErrors.js';
import { failedView, storeFailureView, usageErrorView } from '../../views/feedback.js';
import type { MessageView } from '../../views/status.js';
import type { Listening } from '../deps.js';

export const WG_COMMAND = '/wg';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

function payload(view: MessageView, inChannel: boolean) {
  return {
    response_type: inChannel ? ('in_channel' as const) : ('ephemeral' as const),
    text: view.text,
    blocks: view.blocks,
  };
}

/** The subcommand's reply, or the apology when it threw: the person gets an answer, never a stack trace. */
async function safely(
  run: () => Promise<Reply>,
  log: Logger,
  retry: 'again' | 'in a minute',
): Promise<Reply> {
  try {
    return await run();
  } catch (error) {
    log.error({ err: (error as Error).message }, '/wg failed');
    // A full or failing disk is said by name, not as "something went wrong".
    const store = storeFailureReason(error);
    return { view: store ? storeFailureView(store.reason) : failedView(retry), inChannel: false };
  }
}

/** Sends what a subcommand answered after the ack: a message via response_url, or a form via views.open. */
async function deliver(reply: Reply, { respond, client, command }: Args, log: Logger): Promise<void> {
  if (reply === null) return;
  try {
    if ('modal' in reply) await client.views.open({ trigger_id: command.trigger_id, view: reply.modal });
    else await respond(payload(reply.view, reply.inChannel));
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not answer /wg');
    // A form that would not open still gets an answer.
    if ('modal' in reply) await respond(payload(failedView('in a minute'), false)).catch(() => undefined);
  }
}

/**
 * `/wg`: parse, gate, run, answer. Reads open to anyone answer inside the acknowledgement (straight from
 * SQLite); everything that asks Slack or GitLab, checks a permission or changes things acks at once and
 * answers via response_url.
 */
export function wgCommand(deps: Listening) {
  return async (args: Args): Promise<void> => {
    const { command, ack } = args;
    const parsed = parseWgCommand(command.text ?? '');
    const log = deps.logger.child({
      command: parsed.ok ? parsed.command.name : 'invalid',
      user: command.user_id,
    });
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...usageErrorView(parsed.error, parsed.suggestion) });
      return;
    }
    const call: Call = {
      userId: command.user_id,
      channelId: command.channel_id,
      channelName:
        command.channel_name && command.channel_name !== 'directmessage' ? command.channel_name : null,
      commands: SUBCOMMANDS,
    };
    const run = () => dispatch(parsed.subcommand, parsed.args, call, deps);
    const reader = { userId: command.user_id, checksReads: (id: string) => deps.access.checksReads(id) };
    if (answersInAck(parsed.subcommand, parsed.args, reader)) {
      const reply = await safely(run, log, 'again');
      await ack(reply && 'view' in reply ? payload(reply.view, reply.inChannel) : undefined);
      // Learn the reader's time zone for next time, after answering.
      void deps.directory.user(command.user_id).catch(() => undefined);
      return;
    }
    await ack();
    await deliver(await safely(run, log, 'in a minute'), args, log);
  };
}
