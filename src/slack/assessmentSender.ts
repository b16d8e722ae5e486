import type { WebClient } from '@slack/web-api';
import type { Viewer } from '../services/ports.js';
import type { AssessmentInvite, AssessmentSender, RoundReport } from '../services/teamHealthPorts.js';
import { slackFailure } from './failures.js';
import { assessmentInviteView, roundSummaryView } from './views/assessment.js';
import type { MessageView } from './views/status.js';

/** The assessment rounds' port bound to Slack: DMs to members, the summary in the group's channel. */
export class SlackAssessmentSender implements AssessmentSender {
  constructor(private readonly slack: WebClient) {}

  async #send(channel: string, view: MessageView): Promise<string> {
    try {
      const posted = await this.slack.chat.postMessage({ channel, text: view.text, blocks: view.blocks });
      return posted.ts!;
    } catch (error) {
      throw slackFailure(error);
    }
  }

  async invite(to: string, invite: AssessmentInvite, viewer: Viewer): Promise<void> {
    await this.#send(to, assessmentInviteView(invite, viewer));
  }

  async remind(to: string, invite: AssessmentInvite, viewer: Viewer): Promise<void> {
    await this.#send(to, assessmentInviteView(invite, viewer, true));
  }

  postSummary(channel: string, report: RoundReport): Promise<string> {
    return this.#send(channel, roundSummaryView(report));
  }
}
