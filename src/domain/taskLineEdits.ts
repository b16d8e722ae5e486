/**
 * Edits of one task-list line in an epic's description, byte for byte: the rest of the text — other
 * lines, their endings (`\n` or `\r\n`), trailing spaces — stays exactly as it was. Each returns null when
 * the line is no longer a task line of the expected kind (someone edited the epic meanwhile).
 */

// A list item's marker, possibly in a block quote, then the task box.
const TASK_BOX = /^(\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+)\[( |x|X)\]/;

function editLine(
  description: string,
  lineNumber: number,
  edit: (line: string) => string | null,
): string | null {
  const lines = description.split('\n');
  const index = lineNumber - 1;
  if (!Number.isInteger(lineNumber) || index < 0 || index >= lines.length) return null;
  const raw = lines[index]!;
  const ending = raw.endsWith('\r') ? '\r' : '';
  const edited = edit(ending ? raw.slice(0, -1) : raw);
  if (edited === null) return null;
  lines[index] = edited + ending;
  return lines.join('\n');
}

/** The line's `[ ]` becomes `[x]`; unchanged text when it is ticked already. */
export function tickTaskLine(description: string, lineNumber: number): string | null {
  return editLine(description, lineNumber, (line) => {
    const match = TASK_BOX.exec(line);
    if (!match) return null;
    if (match[2] !== ' ') return line;
    return `${match[1]}[x]${line.slice(match[0].length)}`;
  });
}

/** Appends ` - story created: <ref>` to the line, as people write it by hand in the sample epic. */
export function addStoryToTaskLine(description: string, lineNumber: number, ref: string): string | null {
  return editLine(description, lineNumber, (line) =>
    TASK_BOX.test(line) ? `${line.trimEnd()} - story created: ${ref}` : null,
  );
}
