import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';
import type { DataVisualizationBlock } from './chart.js';
import { plain, truncateMrkdwn } from './mrkdwn.js';

/** Slack's Block Kit limits (docs: "Blocks", "Composition objects"); payloads over them are rejected. */
export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100, // Home tab and modals
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  fallbackText: 3000,
  modalTitle: 24,
} as const;

/** What views build: Block Kit as @slack/types knows it, and Slack's chart block it does not know yet. */
export type Block = KnownBlock | DataVisualizationBlock;

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: plain(text, LIMITS.headerText), emoji: true } };
}

export function section(text: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(text, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function context(...texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts
      .filter((t) => t.length > 0)
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: truncateMrkdwn(text, LIMITS.sectionText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(
  actionId: string,
  text: string,
  options: { value?: string; url?: string; style?: 'primary' | 'danger' } = {},
): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: plain(text, LIMITS.buttonText), emoji: true },
    ...(options.value !== undefined ? { value: options.value.slice(0, LIMITS.buttonValue) } : {}),
    ...(options.url ? { url: options.url } : {}),
    ...(options.style ? { style: options.style } : {}),
  };
}

export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actionsElements) };
}

/**
 * Packs lines under a title into as few sections as fit Slack's 3,000-character limit, showing at most
 * `maxLines` and ending with `more(n)` for the rest ("…and 12 more").
 */
export function lineSections(
  title: string,
  lines: string[],
  maxLines: number,
  more: (hidden: number) => string,
): SectionBlock[] {
  const shown = lines.slice(0, maxLines);
  if (lines.length > shown.length) shown.push(more(lines.length - shown.length));
  const sections: SectionBlock[] = [];
  let current = title;
  for (const line of shown) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length > LIMITS.sectionText && current) {
      sections.push(section(current));
      current = line;
    } else {
      current = candidate;
    }
  }
  if (current) sections.push(section(current));
  return sections;
}

/** Keeps a payload within a block budget: the tail is replaced by a note pointing at the rest. */
export function fitBlocks(blocks: Block[], max: number, note: (dropped: number) => Block): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, note(blocks.length - kept.length)];
}
