import type { CellLine } from './grid.js';

export interface Person {
  name: string;
  gitlabUsername: string | null;
  /** A role or title glued to the front of the name ('Development Department LeadDonald Cook'). */
  gluedRole: string | null;
}

const NOBODY = /^(|-+|—|–|tbd|tba|tbc|n\/?a|none|vacant|open|hiring|\?+)$/i;
const HANDLE = /(?:^|\s|\()@([A-Za-z0-9_][A-Za-z0-9_.-]{0,254})\)?/;
// A profile link: one path segment on a GitLab host ('https://gitlab.com/mflouton').
const GITLAB_PROFILE = /^https?:\/\/[^/]*gitlab[^/]*\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\/?$/i;
// Words a role or title ends with, where a lost separator glues it to the name that follows.
const ROLE_WORDS =
  'lead|leader|facilitator|sponsor|member|manager|engineer|director|owner|stakeholder|dri|vp|president|officer|head|counsel|designer|architect|analyst|advocate|scientist|specialist|representative|rep|coordinator|champion|partner|executive|chief|principal|staff|senior|contributor|participant';
const ROLE_END = new RegExp(String.raw`\b(?:${ROLE_WORDS})$`, 'i');
const CAMEL_JOIN = /(?<=\p{Ll}|DRI|VP)(?=\p{Lu}\p{Ll})/gu;
const MAX_PEOPLE_PER_CELL = 50;

/**
 * 'Development Department LeadDonald Cook' → role 'Development Department Lead', name 'Donald Cook': only
 * where the text before a lower-to-upper-case join ends with a word roles end with, so 'McDonald' stays.
 */
export function splitGluedRole(text: string): { role: string | null; rest: string } {
  for (const join of text.matchAll(CAMEL_JOIN)) {
    const left = text.slice(0, join.index);
    if (ROLE_END.test(left)) return { role: left.trim(), rest: text.slice(join.index).trim() };
  }
  return { role: null, rest: text };
}

function handleFromLinks(name: string, links: { text: string; url: string }[]): string | null {
  for (const link of links) {
    const profile = GITLAB_PROFILE.exec(link.url);
    if (profile && (link.text === name || name.includes(link.text) || link.text.includes(name)))
      return profile[1]!;
  }
  return null;
}

function readPerson(part: string, links: { text: string; url: string }[]): Person | null {
  let text = part.trim();
  let gitlabUsername: string | null = null;
  const handle = HANDLE.exec(text);
  if (handle) {
    gitlabUsername = handle[1]!.replace(/[.]+$/, '');
    text = (text.slice(0, handle.index) + ' ' + text.slice(handle.index + handle[0].length))
      .replace(/\(\s*\)/g, '')
      .replace(/\s+/g, ' ')
      .replace(/[\s,;:\-–—(]+$/u, '')
      .trim();
  }
  if (NOBODY.test(text) && !gitlabUsername) return null;
  gitlabUsername ??= handleFromLinks(text, links);
  const glued = splitGluedRole(text);
  const name = (glued.rest || gitlabUsername || '').slice(0, 120);
  if (!/\p{L}/u.test(name)) return null;
  return { name, gitlabUsername, gluedRole: glued.role };
}

/**
 * The people in one cell: several per cell are split at `<br>`, ',', ';', '&', '/' and ' and '. Each keeps
 * its GitLab handle apart from its name ('Mike Flouton @mflouton', '[Mike](https://gitlab.com/mflouton)').
 */
export function readPeople(lines: CellLine[]): Person[] {
  const people: Person[] = [];
  for (const line of lines) {
    for (const part of line.text.split(/\s*(?:[,;&/]|\band\b)\s*/)) {
      const person = readPerson(part, line.links);
      if (person) people.push(person);
      if (people.length >= MAX_PEOPLE_PER_CELL) return people;
    }
  }
  return people;
}

/** The names of a cell's people, for a criterion's owner: 'Ada Lovelace, Grace Hopper'. */
export function ownerNames(lines: CellLine[]): string | null {
  const names = readPeople(lines).map((p) => p.name);
  return names.length > 0 ? names.join(', ') : null;
}
