import type { Db } from '../../src/store/db.js';

/**
 * A simulated history of working groups, for the history migration test and `bench/history.ts`: each
 * group's items change a few times per working day (closed, reopened, moved to a later sprint, new due
 * date, reordered, gone from GitLab and back), and its criteria's figures follow the items. Deterministic
 * (seeded), so the old and the new representation are written from the very same history.
 */
export interface SimItem {
  id: number;
  title: string;
  state: 'open' | 'done';
  sprintNumber: number;
  dueDate: string | null;
  present: boolean;
  criterion: number;
  owner: string;
}

export interface SimCriterion {
  key: string;
  path: string;
  title: string;
  percent: number | null;
}

export interface Moment {
  at: string;
  /** The group's current items in their order (present ones only), and its figures. */
  items: SimItem[];
  criteria: SimCriterion[];
  overall: number | null;
}

export interface HistoryShape {
  /** Item ids of each group, in their initial order. */
  groups: { wgId: number; itemIds: number[]; criterionIds: number[] }[];
  start: string;
  days: number;
  changesPerWorkingDay: number;
  seed: number;
}

/** Small, fast and good enough for a reproducible simulation (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY_MS = 86_400_000;
const TOP_LEVEL = 6;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Six top-level criteria with one sub-criterion each; the sixth is never measured (unknown, not zero). */
function figures(items: SimItem[], criterionIds: number[]): Pick<Moment, 'criteria' | 'overall'> {
  const criteria: SimCriterion[] = [];
  const tops: number[] = [];
  for (let c = 0; c < TOP_LEVEL; c += 1) {
    const mine = items.filter((i) => i.criterion === c);
    const sub = mine.filter((i) => i.id % 2 === 0);
    const pct = (list: SimItem[]) =>
      c === TOP_LEVEL - 1 || list.length === 0
        ? null
        : Math.round((1000 * list.filter((i) => i.state === 'done').length) / list.length) / 10;
    const top = pct(mine);
    if (top !== null) tops.push(top);
    criteria.push(
      { key: `c${criterionIds[2 * c]}`, path: `${c + 1}`, title: `Criterion ${c + 1}`, percent: top },
      {
        key: `c${criterionIds[2 * c + 1]}`,
        path: `${c + 1}.1`,
        title: `Criterion ${c + 1}.1`,
        percent: pct(sub),
      },
    );
  }
  const overall =
    tops.length === 0 ? null : Math.round((10 * tops.reduce((a, b) => a + b, 0)) / tops.length) / 10;
  return { criteria, overall };
}

function change(items: SimItem[], rand: () => number, today: string): void {
  const item = items[Math.floor(rand() * items.length)]!;
  const roll = rand();
  if (roll < 0.35) item.state = item.state === 'open' ? 'done' : item.state;
  else if (roll < 0.4) item.state = 'open';
  else if (roll < 0.6) item.sprintNumber += 1;
  else if (roll < 0.75) item.dueDate = isoDay(Date.parse(today) + Math.floor(rand() * 40) * DAY_MS);
  else if (roll < 0.9) {
    // Reordered on the board: nothing about the item changed but its place.
    const from = items.indexOf(item);
    items.splice(from, 1);
    items.splice(Math.floor(rand() * items.length), 0, item);
  } else item.present = !item.present;
}

/**
 * Calls `visit` for every group at every moment where its state can differ from the previous sync's:
 * the first sync of each day (items fall overdue as days pass) and each change (at a 15-minute sync
 * between 08:00 and 18:00 UTC on working days). The syncs in between see nothing new, and neither the
 * old code nor the new writes anything for them.
 */
export function simulate(shape: HistoryShape, visit: (wgId: number, moment: Moment) => void): number {
  const rand = random(shape.seed);
  const start = Date.parse(shape.start);
  let moments = 0;
  for (const g of shape.groups) {
    const items: SimItem[] = g.itemIds.map((id, i) => ({
      id,
      title: `Action item ${id}: do the next useful thing for the group`,
      state: 'open',
      sprintNumber: 20 + (i % 4),
      dueDate: i % 5 === 0 ? isoDay(start + (i % 30) * DAY_MS) : null,
      present: true,
      criterion: i % TOP_LEVEL,
      owner: `Person ${i % 50}`,
    }));
    const emit = (at: number) => {
      const present = items.filter((i) => i.present);
      visit(g.wgId, { at: new Date(at).toISOString(), items: present, ...figures(present, g.criterionIds) });
      moments += 1;
    };
    for (let d = 0; d < shape.days; d += 1) {
      const dayStart = start + d * DAY_MS;
      emit(dayStart);
      const weekday = new Date(dayStart).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const slots = Array.from({ length: shape.changesPerWorkingDay }, () => 32 + Math.floor(rand() * 40))
        .sort((a, b) => a - b)
        .filter((s, i, all) => all.indexOf(s) === i);
      for (const slot of slots) {
        change(items, rand, isoDay(dayStart));
        emit(dayStart + slot * 15 * 60_000);
      }
    }
  }
  return moments;
}

/** The JSON the old code stored per snapshot (ProgressSnapshot before migration 0005), field for field. */
export function oldSnapshotJson(moment: Moment): string {
  const today = moment.at.slice(0, 10);
  return JSON.stringify({
    takenAt: moment.at,
    overall: moment.overall,
    criteria: moment.criteria,
    items: moment.items.map((i) => ({
      key: `i${i.id}`,
      title: i.title,
      state: i.state,
      sprintNumber: i.sprintNumber,
      sprintTitle: `Sprint ${i.sprintNumber}`,
      dueDate: i.dueDate,
      overdue: i.state === 'open' && i.dueDate !== null && i.dueDate < today,
      owners: [i.owner],
      confidential: false,
    })),
  });
}

/**
 * Writes old-style snapshot rows (schema before 0005) as the old code did: one per moment whose snapshot
 * differs from the group's previous one in anything but its time. Returns the number of rows written.
 */
export function oldSnapshotWriter(db: Db): {
  write: (wgId: number, moment: Moment) => void;
  rows: () => number;
} {
  const insert = db.prepare(
    "INSERT INTO progress_snapshots (wg_id, taken_at, trigger, overall, data) VALUES (?, ?, 'sync', ?, ?)",
  );
  const last = new Map<number, string>();
  let rows = 0;
  return {
    write(wgId, moment) {
      const json = oldSnapshotJson(moment);
      const timeless = json.replace(moment.at, '');
      if (last.get(wgId) === timeless) return;
      last.set(wgId, timeless);
      // The old column was NOT NULL; before "unknown is not zero" a group without figures stored 0.
      insert.run(wgId, moment.at, moment.overall ?? 0, json);
      rows += 1;
    },
    rows: () => rows,
  };
}
