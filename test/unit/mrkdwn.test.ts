import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { helpView, whichGroupView } from '../../src/slack/views/feedback.js';
import { groupListView } from '../../src/slack/views/lists.js';
import { channelMention, esc, link, mrkdwn, mention } from '../../src/slack/views/mrkdwn.js';
import { groupCreatedText, notLinkedView } from '../../src/slack/views/notices.js';
import type { WorkingGroup } from '../../src/domain/types.js';

const VIEWS = new URL('../../src/slack/views/', import.meta.url);

/**
 * Fixed texts in the views with `&`, `<` or `>` outside an `mrkdwn` template: each is mrkdwn Slack would read
 * as a link, a mention or an entity. `mrkdwn.ts` itself builds the escapes and the markup.
 */
function unescapedFixedTexts(): string[] {
  const found: string[] = [];
  for (const file of readdirSync(VIEWS).filter((f) => f.endsWith('.ts') && f !== 'mrkdwn.ts')) {
    const source = ts.createSourceFile(
      file,
      readFileSync(new URL(file, VIEWS), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === 'mrkdwn') {
        // Its own text is escaped; what it interpolates is checked like any other code.
        if (ts.isTemplateExpression(node.template))
          node.template.templateSpans.forEach((s) => visit(s.expression));
        return;
      }
      if (ts.isImportDeclaration(node)) return;
      if (
        (ts.isStringLiteral(node) ||
          ts.isNoSubstitutionTemplateLiteral(node) ||
          ts.isTemplateLiteralToken(node)) &&
        /[&<>]/.test(node.text)
      ) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${file}:${line + 1} ${JSON.stringify(node.text)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('mrkdwn`…`, the one way to write mrkdwn with fixed text', () => {
  it('escapes & < > in the fixed text as in data, and keeps mrkdwn made by the helpers', () => {
    expect(mrkdwn`Link it: \`/wg link <url>\` & wait`).toBe('Link it: `/wg link &lt;url&gt;` &amp; wait');
    const title = esc('<!channel> fix & ship');
    expect(
      mrkdwn`*${title}* by ${mention('U0THOR', 'Thor')} in ${channelMention('C0WG')}: ${link('https://x.example/1', 'a<b')} (${3})`,
    ).toBe('*&lt;!channel&gt; fix &amp; ship* by <@U0THOR> in <#C0WG>: <https://x.example/1|a&lt;b> (3)');
    // Not an ID: shown as text, never as markup.
    expect(mention('<!here>', '<!here>')).toBe('&lt;!here&gt;');
    expect(channelMention('<!channel>')).toBe('&lt;!channel&gt;');
  });

  it('is used for every fixed text in src/slack/views that has & < or >', () => {
    expect(unescapedFixedTexts()).toEqual([]);
  });

  it('shows the hints with placeholders as written', () => {
    const group = { name: 'Ops & Co', slug: 'ops-co' } as WorkingGroup;
    const texts = [
      JSON.stringify(notLinkedView(group).blocks),
      JSON.stringify(whichGroupView(['ops-co']).blocks),
      JSON.stringify(groupListView({ groups: [], page: 1, pages: 1, pageSize: 40, total: 0 }, 2).blocks),
      JSON.stringify(
        helpView([{ name: 'bind', usage: 'bind <slug>', summary: 'a & b', example: 'bind x' }]).blocks,
      ),
      groupCreatedText(group, 'U0ADA', 'C0WG', false),
    ].join('\n');
    expect(texts).toContain('`/wg link &lt;epic-url&gt;`');
    expect(texts).toContain('`/wg status &lt;slug&gt;`');
    expect(texts).toContain('`/wg bind &lt;slug&gt;` — a &amp; b');
    expect(texts).toContain(
      '*Ops &amp; Co* (`ops-co`) is set up with <@U0ADA> as facilitator. Try `/wg status` in <#C0WG>.',
    );
    expect(texts).not.toMatch(/<(slug|url|epic-url|page\.md)>/);
  });
});
