import { metricsLine } from '../../services/metricsService.js';
import { metricsView, noProjectsView } from '../views/scheduled.js';
import { slugOnly } from './args.js';
import { groupCommand, privately } from './command.js';

const USAGE = 'metrics [slug]';

/** `/wg metrics`: DORA metrics of the group's projects, asked of GitLab after the ack. */
export const metricsCommand = groupCommand({
  name: 'metrics',
  usage: USAGE,
  example: '/wg metrics',
  summary: 'DevOps key metrics of the linked projects',
  answersInAck: false,
  requires: 'anyone',
  parse: (words: string[]) => slugOnly(words, USAGE),
  async run({ group }, _args, deps) {
    if (deps.metrics.projects(group).length === 0) return privately(noProjectsView(group));
    const metrics = await deps.metrics.forGroup(group);
    return privately(metricsView(group, metrics.map(metricsLine)));
  },
});
