import { describe, expect, it } from 'vitest';
import { addStoryToTaskLine, tickTaskLine } from '../../src/domain/taskLineEdits.js';

const EPIC = [
  '## Plan',
  '',
  '- [ ] Sprint 20: Workshop w. Roland (Thor) - story created: #2148',
  '- [ ] Sprint 21: Runbooks (Waldemar)  ',
  '  * [x] Sprint 19: Kick-off (Thor)',
  'Text with [ ] in it',
].join('\r\n');

describe('tickTaskLine', () => {
  it('changes only that line’s [ ] to [x], every other byte kept (CRLF included)', () => {
    const ticked = tickTaskLine(EPIC, 3)!;
    expect(ticked).toBe(EPIC.replace('- [ ] Sprint 20', '- [x] Sprint 20'));
    expect(ticked.length).toBe(EPIC.length);
  });

  it('leaves a ticked line as it is, and refuses a line that is no task line', () => {
    expect(tickTaskLine(EPIC, 5)).toBe(EPIC);
    expect(tickTaskLine(EPIC, 6)).toBeNull();
    expect(tickTaskLine(EPIC, 99)).toBeNull();
  });
});

describe('addStoryToTaskLine', () => {
  it('appends the story reference to that line only', () => {
    const added = addStoryToTaskLine(EPIC, 4, 'acme/ops#7')!;
    expect(added).toBe(EPIC.replace('(Waldemar)  \r\n', '(Waldemar) - story created: acme/ops#7\r\n'));
  });

  it('refuses a line that is no task line', () => {
    expect(addStoryToTaskLine(EPIC, 1, '#1')).toBeNull();
  });
});
