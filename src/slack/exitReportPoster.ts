import type { WebClient } from '@slack/web-api';
import type { ExitReport, ExitReportPoster } from '../services/exitReport.js';
import type { Delivered } from '../services/ports.js';
import { slackFailure } from './failures.js';
import { exitReportView } from './views/exitReport.js';

/**
 * ExitReportService's port bound to Slack: the report rendered by its view and posted to the group's
 * channel (an ID, or a #name, which chat.postMessage takes). The client retries nothing by itself
 * (webClients.ts `digestWebClient`): a post that timed out may have landed, and the report is once.
 */
export class SlackExitReportPoster implements ExitReportPoster {
  constructor(private readonly slack: WebClient) {}

  async post(channel: string, report: ExitReport): Promise<Delivered> {
    const view = exitReportView(report);
    try {
      const posted = await this.slack.chat.postMessage({
        channel,
        text: view.text,
        blocks: view.blocks,
        unfurl_links: false,
      });
      return { channel: posted.channel ?? channel, ts: posted.ts! };
    } catch (error) {
      throw slackFailure(error);
    }
  }
}
