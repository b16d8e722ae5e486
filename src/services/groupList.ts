import { daysBetween, localDate } from '../domain/dates.js';
import { overdueOn } from '../domain/summary.js';
import type { IsoDate, Lifecycle } from '../domain/types.js';
import type { LifecycleFilter, StoredGroupSummary } from '../store/repositories/groupSummaries.js';
import type { Store } from '../store/store.js';
import { type Forecast, groupForecast } from './forecast.js';

/** One group as the lists show it (`/wg list`, `wgbot list`, the App Home): figures kept on write. */
export interface GroupSummary {
  slug: string;
  name: string;
  lifecycle: Lifecycle;
  /** The day the group ended; null unless it has ended. */
  endedOn: IsoDate | null;
  channel: string | null;
  targetEndDate: IsoDate | null;
  /** The group's calendar day now, in its zone: what overdue and days left are counted from. */
  today: IsoDate;
  /** Null without a target date, and for a paused or ended group (no deadline runs), as in `/wg status`. */
  daysLeft: number | null;
  overall: number | null;
  /** How many top-level exit criteria have a figure, of how many. */
  coverage: { measured: number; total: number };
  counts: { items: number; open: number; done: number; overdue: number };
  syncedAt: string | null;
  /** When the figures last changed. */
  updatedAt: string | null;
  /** As in `/wg status`: null for a paused or ended group. */
  forecast: Forecast | null;
}

/** One page of `/wg list`. Pages count from 1. */
export interface GroupPage {
  groups: GroupSummary[];
  page: number;
  pages: number;
  pageSize: number;
  /** Every listed group, on all pages. */
  total: number;
}

/** What the lists show unless asked for all: ended groups stay off them (`wgbot list --all` shows them). */
export const LISTED_LIFECYCLES: Lifecycle[] = ['active', 'paused'];

/** Groups per `/wg list` page: one line each keeps a page well inside one message (50 blocks). */
export const LIST_PAGE_SIZE = 40;

/** Today in each zone, worked out once per zone for a whole list. */
function todayIn(now: Date): (timeZone: string) => IsoDate {
  const days = new Map<string, IsoDate>();
  return (timeZone) => {
    let day = days.get(timeZone);
    if (day === undefined) {
      day = localDate(now, timeZone);
      days.set(timeZone, day);
    }
    return day;
  };
}

function toGroupSummary(store: Store, s: StoredGroupSummary, today: IsoDate): GroupSummary {
  return {
    slug: s.slug,
    name: s.name,
    lifecycle: s.lifecycle,
    endedOn: s.lifecycle === 'ended' ? s.endedOn : null,
    channel: s.channel,
    targetEndDate: s.targetEndDate,
    today,
    daysLeft: s.targetEndDate && s.lifecycle === 'active' ? daysBetween(today, s.targetEndDate) : null,
    overall: s.overall,
    coverage: { measured: s.measured, total: s.total },
    counts: { items: s.items, open: s.open, done: s.items - s.open, overdue: overdueOn(s.openDue, today) },
    syncedAt: s.syncedAt,
    updatedAt: s.updatedAt,
    forecast: groupForecast(
      store,
      { id: s.wgId, lifecycle: s.lifecycle, targetEndDate: s.targetEndDate },
      today,
      s.overall,
    ),
  };
}

function summaries(store: Store, stored: StoredGroupSummary[], now: Date): GroupSummary[] {
  const today = todayIn(now);
  return stored.map((s) => toGroupSummary(store, s, today(s.timezone)));
}

/**
 * Page `page` of the groups in `lifecycles` (null: all), in slug order; a page past the end gives the
 * last one.
 */
export function groupPage(
  store: Store,
  now: Date,
  page: number,
  lifecycles: LifecycleFilter = null,
  pageSize = LIST_PAGE_SIZE,
): GroupPage {
  const total = store.summaries.count(lifecycles);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const shown = Math.min(Math.max(1, Math.floor(page)), pages);
  return {
    groups: summaries(store, store.summaries.page(lifecycles, (shown - 1) * pageSize, pageSize), now),
    page: shown,
    pages,
    pageSize,
    total,
  };
}

/** Every group in `lifecycles` (null: all), in slug order (`wgbot list`). */
export function allGroups(store: Store, now: Date, lifecycles: LifecycleFilter = null): GroupSummary[] {
  return summaries(store, store.summaries.page(lifecycles, 0, -1), now);
}

/** The groups among `ids` that are in `lifecycles` (null: all), in slug order. */
export function groupsByIds(
  store: Store,
  now: Date,
  ids: number[],
  lifecycles: LifecycleFilter = null,
): GroupSummary[] {
  return summaries(store, store.summaries.byIds(lifecycles, ids), now);
}

/** How many groups are in `lifecycles` (null: all). */
export function countGroups(store: Store, lifecycles: LifecycleFilter): number {
  return store.summaries.count(lifecycles);
}
