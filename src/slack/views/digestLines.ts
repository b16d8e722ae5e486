// The lines a digest is made of: the changes since the last digest, and each criterion with its change.
import { flattenProgress } from '../../domain/criteria.js';
import { formatPercent, plural } from '../../format.js';
import type { DigestData } from '../../services/digestData.js';
import type { StatusCriterion, StatusItem } from '../../services/status.js';
import { bar, criterionNotes, percentText, shortDate, type Viewer } from './common.js';
import { esc, link } from './mrkdwn.js';

/** ▲ +12 / ▼ −5 / nothing. */
export function delta(value: number | undefined): string {
  if (value === undefined || value === 0) return '';
  const shown = Number.isInteger(value) ? Math.abs(value) : Math.abs(value).toFixed(1);
  return value > 0 ? ` :arrow_up_small: +${shown}` : ` :arrow_down_small: −${shown}`;
}

/** ' :arrow_up_small: +5 since the last digest', ' · no change since the last digest', or nothing. */
export function overallChange(data: DigestData): string {
  const { from, to, delta: change } = data.diff.overall;
  if (!data.previous || to === null) return '';
  if (from === null) return ' · first figure since the last digest';
  return `${delta(change ?? 0) || ' · no change'} since the last digest`;
}

/**
 * The one line at the top that says what changed since the last digest: 'overall +5.5 points · 3 closed
 * · 1 added · 1 slipped', or that nothing did; null for a first digest.
 */
export function whatChanged(data: DigestData, today: string): string | null {
  if (!data.previous) return null;
  const { diff } = data;
  const since = `*Since ${shortDate(data.previous.postedAt.slice(0, 10), today)}:*`;
  const parts: string[] = [];
  const change = diff.overall.delta;
  if (diff.overall.from === null && diff.overall.to !== null) parts.push('first overall figure');
  else if (change !== null && change !== undefined && change !== 0) {
    const size = Math.abs(change);
    const points = `${formatPercent(size).slice(0, -1)} ${size === 1 ? 'point' : 'points'}`;
    parts.push(`overall ${change > 0 ? '+' : '−'}${points}`);
  }
  const counted: [number, string, string][] = [
    [diff.closed.length, 'item closed', 'items closed'],
    [diff.added.length, 'added', 'added'],
    [diff.reopened.length, 'reopened', 'reopened'],
    [diff.slipped.length, 'slipped', 'slipped'],
    [diff.removed.length, 'gone from GitLab', 'gone from GitLab'],
  ];
  for (const [n, one, many] of counted) if (n > 0) parts.push(plural(n, one, many));
  return parts.length === 0 ? `${since} no changes` : `${since} ${parts.join(' · ')}`;
}

export function criteriaLines(data: DigestData): string[] {
  return flattenProgress(data.report.criteria.map(toProgress)).map(({ path, depth, node }) => {
    const indent = '\u2003'.repeat(depth);
    const unknown = node.percent === null ? ' _(no figure yet)_' : '';
    return `${indent}${path}. ${bar(node.percent)} ${percentText(node.percent)}${delta(data.criterionDelta[path])}  ${link(node.url, node.title)}${unknown}${criterionNotes(node)}`;
  });
}

function toProgress(c: DigestData['report']['criteria'][number]): {
  id: null;
  title: string;
  url: string | null;
  percent: number | null;
  source: null;
  owner: string | null;
  flag: string | null;
  health: StatusCriterion['health'];
  children: ReturnType<typeof toProgress>[];
} {
  return {
    id: null,
    title: c.title,
    url: c.url,
    percent: c.percent,
    source: null,
    owner: c.owner,
    flag: c.flag,
    health: c.health ?? null,
    children: c.children.map(toProgress),
  };
}

export function changeLines(data: DigestData, viewer: Viewer, byKey: Map<string, StatusItem>): string[] {
  const lines: string[] = [];
  const show = (key: string, title: string, confidential: boolean) => {
    const item = byKey.get(key);
    if (confidential) return '_a confidential item_';
    return link(item?.url ?? null, title);
  };
  for (const i of data.diff.closed)
    lines.push(`:white_check_mark: closed: ${show(i.key, i.title, i.confidential)}`);
  for (const i of data.diff.added)
    lines.push(`:heavy_plus_sign: added: ${show(i.key, i.title, i.confidential)}`);
  for (const i of data.diff.reopened)
    lines.push(`:leftwards_arrow_with_hook: reopened: ${show(i.key, i.title, i.confidential)}`);
  for (const s of data.diff.slipped) {
    lines.push(
      `:turtle: slipped: ${show(s.item.key, s.item.title, s.item.confidential)} — ${esc(s.from)} → ${esc(s.to)}`,
    );
  }
  for (const i of data.diff.removed)
    lines.push(
      `:heavy_minus_sign: gone from GitLab: ${i.confidential ? '_a confidential item_' : esc(i.title)}`,
    );
  void viewer;
  return lines;
}
