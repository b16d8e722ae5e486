// A page's sections: where each starts (its heading) and what it is about, in English or Japanese.
import type { Heading, Root, RootContent } from 'mdast';
import { headingId, plainText } from './markdown.js';

export type SectionKind =
  'attributes' | 'goal' | 'entry' | 'exit' | 'followUps' | 'roles' | 'outcome' | 'other';

// English first, then the words translated pages use (Japanese): a heading's kind from either.
const SECTION_RULES: [RegExp, SectionKind][] = [
  [/entry criteria|開始基準|開始条件|参加基準/i, 'entry'],
  [
    /exit criteria|exit goals?|success criteria|definition of done|completion criteria|acceptance criteria|criteria for (?:success|completion|exit)|^criteria\b|key results|^exit\b|終了基準|終了条件|完了基準|完了条件|成功基準|達成基準|完了の定義/i,
    'exit',
  ],
  [
    /roles|responsibilit|^members$|^people$|^team$|^membership$|^who\b|^participants$|役割|責任|^メンバー/i,
    'roles',
  ],
  [
    /follow[- ]?ups?|post[- ]working[- ]group|planned improvements|future work|next steps after|フォローアップ|後の計画|今後の(?:計画|作業|改善)/i,
    'followUps',
  ],
  [
    /^outcomes?$|^results?$|^conclusion|^closing|^wrap[- ]?up|^final status|^結果$|^成果$|^まとめ$|^結論/i,
    'outcome',
  ],
  [
    /business goal|^goals?$|^objectives?$|^purpose$|^mission$|^charter$|目標$|^目的$|^ミッション$|^憲章$/i,
    'goal',
  ],
  [
    /^attributes$|^properties$|^details$|^overview$|^facts$|^summary$|^info(?:rmation)?$|^status$|^metadata$|^属性$|^プロパティ$|^ステータス$/i,
    'attributes',
  ],
];

/** What a heading's section is, by its words, else by its '{#id}' ('終了基準 {#exit-criteria}'). */
function sectionKindOf(text: string, id: string | null): SectionKind | null {
  const byText = SECTION_RULES.find(([pattern]) => pattern.test(text))?.[1];
  if (byText) return byText;
  const idWords = id ? id.replace(/[-_]+/g, ' ').trim() : '';
  return idWords ? (SECTION_RULES.find(([pattern]) => pattern.test(idWords))?.[1] ?? null) : null;
}

/** Headings only a working-group page has: how `import` tells a page from an epic description. */
export function looksLikeWorkingGroupHeading(text: string): boolean {
  return /exit criteria|entry criteria|roles and responsibilities|business goal|working group roles|exit goals|終了基準|終了条件|開始基準|役割と責任|ビジネス目標/i.test(
    text,
  );
}

/** Headings a page may use for its exit criteria that an epic may use too: a page only with a roles table. */
export function looksLikeCriteriaHeading(text: string): boolean {
  return /success criteria|definition of done|completion criteria|key results|完了基準|成功基準/i.test(text);
}

export interface Region {
  kind: SectionKind;
  heading: Heading | null;
  /** A sub-section that took its kind from the section above it ('### Functional Areas' under roles). */
  inherited?: boolean;
  /** The section's content, sub-headings that belong to it included. */
  nodes: RootContent[];
}

/**
 * Cuts the page into sections at its headings. A heading no rule knows, below an exit or entry criteria
 * heading ('### Phase 1' under '## Exit Criteria'), stays part of that section, heading and all; the
 * page's '#' title lends its kind to nothing ('# Exit Criteria WG').
 */
export function regions(root: Root): Region[] {
  const result: Region[] = [{ kind: 'other', heading: null, nodes: [] }];
  const known: { depth: number; kind: SectionKind }[] = [];
  for (const node of root.children) {
    if (node.type !== 'heading') {
      result.at(-1)!.nodes.push(node);
      continue;
    }
    const text = plainText(node);
    while (known.length > 0 && known.at(-1)!.depth >= node.depth) known.pop();
    const own = sectionKindOf(text, headingId(node));
    const parent = known.at(-1);
    const inCriteria = parent && parent.depth >= 2 && (parent.kind === 'entry' || parent.kind === 'exit');
    if (inCriteria && (own === null || own === parent.kind)) {
      result.at(-1)!.nodes.push(node);
      continue;
    }
    // '### Functional Areas and DRIs' under '## Roles and Responsibilities': more of the roles.
    if (parent?.kind === 'roles' && own === null) {
      result.push({ kind: 'roles', heading: node, nodes: [], inherited: true });
      continue;
    }
    if (own) known.push({ depth: node.depth, kind: own });
    result.push({ kind: own ?? 'other', heading: node, nodes: [] });
  }
  return result;
}
