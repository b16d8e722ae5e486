import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseQuestionnaire, type Questionnaire } from '../domain/assessment.js';

/** The questionnaires shipped with wgbot: `assessments/` at the package root. */
export const SHIPPED_ASSESSMENTS = fileURLToPath(new URL('../../assessments/', import.meta.url));

export type QuestionnaireResult =
  { ok: true; value: Questionnaire; file: string } | { ok: false; reason: string };

/**
 * A group's questionnaire: `<dir>/<slug>.yml` when there is one (the group's own), else `<dir>/devops.yml`
 * (the default DevOps self-assessment). A file that does not parse is a reason, naming the file.
 */
export function questionnaireFor(slug: string, dir: string = SHIPPED_ASSESSMENTS): QuestionnaireResult {
  const own = join(dir, `${slug}.yml`);
  const file = existsSync(own) ? own : join(dir, 'devops.yml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, reason: `${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  const parsed = parseQuestionnaire(text);
  return parsed.ok
    ? { ok: true, value: parsed.value, file }
    : { ok: false, reason: `${file}: ${parsed.reason}` };
}
