import type { RoleKind } from './types.js';

const RULES: [RegExp, RoleKind][] = [
  // Facilitator first: a 'Co-Facilitator' or 'Facilitator & DRI' may change the group's configuration.
  [/facilitat|ファシリテーター/i, 'facilitator'],
  [/sponsor|スポンサー/i, 'executive_sponsor'],
  [/stakeholder|ステークホルダー/i, 'stakeholder'],
  [/\blead\b|\bleads\b|\bdri\b|directly responsible|\bowner\b|リード|責任者/i, 'functional_lead'],
  [/member|participant|contributor|メンバー|参加者/i, 'member'],
];

/** Maps a page's own role label (English, or Japanese on translated pages) to the nearest kind wgbot uses for permissions. */
export function roleKindOf(label: string): RoleKind {
  for (const [pattern, kind] of RULES) if (pattern.test(label)) return kind;
  return 'other';
}

/** The order roles are listed in: sponsor first, members last, as on the handbook pages. */
export const ROLE_KIND_ORDER: RoleKind[] = [
  'executive_sponsor',
  'facilitator',
  'functional_lead',
  'stakeholder',
  'member',
  'other',
];
