import type { WorkingGroup } from '../../domain/types.js';
import { LifecycleService } from '../../services/lifecycle.js';
import type { Store } from '../../store/store.js';
import { lifecycleView } from '../views/lifecycle.js';
import type { MessageView } from '../views/status.js';

/**
 * `/wg archive` and `/wg unarchive`, once the caller may configure the group: ends it or makes it active
 * again, and says so.
 */
export function changeLifecycle(
  action: 'archive' | 'unarchive',
  group: WorkingGroup,
  deps: { store: Store; now: () => Date },
  byUserId: string,
): { view: MessageView; changed: boolean; group: WorkingGroup } {
  const service = new LifecycleService(deps.store, deps.now);
  const outcome = action === 'archive' ? service.archive(group) : service.unarchive(group);
  return { view: lifecycleView(action, outcome, byUserId), changed: outcome.changed, group: outcome.group };
}
