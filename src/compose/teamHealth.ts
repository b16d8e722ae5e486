import type { Logger } from '../logger.js';
import { AssessmentBacklog } from '../services/assessmentBacklog.js';
import { AssessmentService } from '../services/assessmentService.js';
import { DodService } from '../services/dodService.js';
import { UsageService } from '../services/usageService.js';
import type { IdentityService } from '../services/identity.js';
import { questionnaireFor } from '../services/questionnaires.js';
import type { TeamHealth } from '../services/teamHealth.js';
import type { Store } from '../store/store.js';
import type { Adapters } from './adapters.js';

/**
 * The team-health services (#17): assessment rounds, their backlog issues, the Definition-of-Done check,
 * usage and traffic from the group's own source (fetched with Node's fetch).
 */
export function teamHealth(
  store: Store,
  adapters: Pick<Adapters, 'assessmentSender' | 'teamHealthGitlab'>,
  identity: IdentityService,
  now: () => Date,
  logger: Logger,
  usageAllowedHosts: readonly string[] | null,
): TeamHealth {
  const assessments = new AssessmentService(
    store,
    adapters.assessmentSender,
    identity,
    (slug) => questionnaireFor(slug),
    now,
    logger.child({ component: 'assessments' }),
  );
  const backlog = new AssessmentBacklog(
    store,
    assessments.rounds,
    adapters.teamHealthGitlab,
    now,
    logger.child({ component: 'assessment-backlog' }),
  );
  const dod = new DodService(store, adapters.teamHealthGitlab, now, logger.child({ component: 'dod' }));
  const usage = new UsageService(store, fetch, now, logger.child({ component: 'usage' }), {
    allowedHosts: usageAllowedHosts,
  });
  const abort = (reason: string) => adapters.teamHealthGitlab?.abort(reason);
  return { assessments, backlog, dod, usage, abort };
}
