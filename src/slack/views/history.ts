import type { EditOutcome, HistoryAnswer, StoredCriterionChange } from '../../services/criteriaHistory.js';
import type { WorkingGroup } from '../../domain/types.js';
import { formatAge, formatPercent } from '../../format.js';
import { type Block, context, fitBlocks, LIMITS, lineSections, section } from './blocks.js';
import { localDateTime, type Viewer } from './common.js';
import { noticeView } from './feedback.js';
import { esc, mention } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** A change's author in words: a person is mentioned, the rest are named. */
function author(by: StoredCriterionChange['by']): string {
  if (by.startsWith('slack:')) return mention(by.slice('slack:'.length), by);
  return { sync: 'the GitLab sync', import: 'a page import', cli: 'the CLI' }[
    by as 'sync' | 'import' | 'cli'
  ];
}

const SOURCE_WORDS: Record<string, string> = {
  gitlab: 'GitLab',
  handbook: 'the page',
  manual: 'set by hand',
  rollup: 'sub-items',
};

function value(field: StoredCriterionChange['field'], v: string | number | null): string {
  if (v === null) return '_none_';
  if (field === 'percent') return `*${formatPercent(Number(v))}*`;
  if (field === 'source') return SOURCE_WORDS[String(v)] ?? esc(String(v));
  return `“${esc(String(v))}”`;
}

const FIELD_WORDS = { percent: 'figure', source: 'figure from', title: 'title', owner: 'owner' } as const;

/** 'Pipeline green: figure 40 % → 100 % — the GitLab sync, 2 hours ago'. */
export function changeLine(change: StoredCriterionChange, viewer: Viewer, withTitle = true): string {
  const what =
    change.field === 'title' && change.from === null
      ? `added as ${value('title', change.to)}`
      : change.field === 'title' && change.to === null
        ? 'removed'
        : `${FIELD_WORDS[change.field]} ${value(change.field, change.from)} → ${value(change.field, change.to)}`;
  const who = `${author(change.by)}, ${localDateTime(new Date(change.at), viewer.timeZone)} (${formatAge(change.at, viewer.now)})`;
  return `${withTitle ? `*${esc(change.criterionTitle)}*: ` : ''}${what} — ${who}`;
}

/** `/wg history`: the group's (or one criterion's) latest changes, newest first. */
export function historyView(answer: HistoryAnswer, viewer: Viewer): MessageView {
  const about = answer.criterion
    ? `criterion ${answer.criterion.path}, ${esc(answer.criterion.title)}`
    : 'exit criteria';
  const head = `*${esc(answer.name)} — history of ${about}*`;
  const lines = answer.changes.map((c) => changeLine(c, viewer, answer.criterion === null));
  const blocks: Block[] =
    lines.length === 0
      ? [section(`${head}\n_No changes recorded yet._`)]
      : [
          ...lineSections(head, lines, lines.length, () => ''),
          context(
            answer.changes.length >= answer.limit
              ? `Newest first: the latest ${answer.changes.length}. \`wgbot history ${answer.slug} --limit 500\` lists more.`
              : 'Newest first.',
          ),
        ];
  return {
    text: `${esc(answer.name)}: ${answer.changes.length} criteria changes`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…cut to fit one message')),
  };
}

/** The answer to a hand edit of a criterion: what it shows now, and why a hand-set figure may not show. */
export function criterionEditedView(
  group: WorkingGroup,
  outcome: EditOutcome,
  edit: 'percent' | 'owner',
): MessageView {
  const { criterion } = outcome;
  const name = `criterion ${criterion.path}, *${esc(criterion.title)}*`;
  if (!outcome.updated) return noticeView(':ok_hand:', `Nothing changed: ${name} already was so.`);
  const shadowed =
    edit === 'percent' && outcome.source !== 'manual' && outcome.source !== null
      ? `Its figure still comes from ${SOURCE_WORDS[outcome.source]} (${formatPercent(outcome.percent)}), which comes before one set by hand.`
      : undefined;
  return noticeView(
    ':pencil2:',
    `Changed ${name} of ${esc(group.name)}; \`/wg history\` shows it.`,
    shadowed,
  );
}

/** The App Home's section of the latest criteria changes in the reader's groups. */
export function recentChangesBlocks(
  changes: (StoredCriterionChange & { groupName: string })[],
  viewer: Viewer,
): Block[] {
  if (changes.length === 0) return [];
  const lines = changes.map((c) => `${changeLine(c, viewer)} · _${esc(c.groupName)}_`);
  return lineSections('*Latest criteria changes*', lines, lines.length, () => '');
}
