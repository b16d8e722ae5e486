import type { WebClient } from '@slack/web-api';
import type {
  Delivered,
  EscalatedItem,
  LadderMessage,
  LadderMessenger,
  Messenger,
  NudgeItem,
  UnreachableOwner,
  Viewer,
} from '../services/ports.js';
import { slackFailure } from './failures.js';
import type { MessageView } from './views/status.js';
import { ladderStepView } from './views/ladder.js';
import { escalationView, nudgeView, unreachableView } from './views/nudge.js';

/** NudgeService's port bound to Slack: each message rendered by the views, sent as a DM with the Web API. */
export class SlackMessenger implements Messenger, LadderMessenger {
  constructor(private readonly slack: WebClient) {}

  async #send(to: string, view: MessageView): Promise<Delivered> {
    try {
      const posted = await this.slack.chat.postMessage({ channel: to, text: view.text, blocks: view.blocks });
      return { channel: posted.channel ?? to, ts: posted.ts! };
    } catch (error) {
      throw slackFailure(error);
    }
  }

  sendNudge(to: string, items: NudgeItem[], viewer: Viewer): Promise<Delivered> {
    return this.#send(to, nudgeView(items, viewer));
  }

  async sendEscalation(to: string, groupName: string, items: EscalatedItem[], viewer: Viewer): Promise<void> {
    await this.#send(to, escalationView(groupName, items, viewer));
  }

  sendLadderStep(to: string, message: LadderMessage, viewer: Viewer): Promise<Delivered> {
    return this.#send(to, ladderStepView(message, viewer));
  }

  async sendUnreachableOwners(
    to: string,
    groupName: string,
    owners: UnreachableOwner[],
    viewer: Viewer,
  ): Promise<void> {
    await this.#send(to, unreachableView(groupName, owners, viewer));
  }
}
