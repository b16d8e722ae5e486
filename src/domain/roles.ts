import type { RoleKind } from './types.js';

const RULES: [RegExp, RoleKind][] = [
  // Facilitator first: a 'Co-Facilitator' or 'Facilitator & DRI' may change the group's configuration.
  [/facilitat/i, 'facilitator'],
  [/sponsor/i, 'executive_sponsor'],
  [/stakeholder/i, 'stakeholder'],
  [/\blead\b|\bleads\b|\bdri\b|directly responsible|\bowner\b/i, 'functional_lead'],
  [/member|participant|contributor/i, 'member'],
];

/** Maps a page's own role label to the nearest kind wgbot uses for permissions (DESIGN.md §4). */
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
