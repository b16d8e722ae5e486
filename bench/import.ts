// `npm run bench -- import`: pages imported per second in one batch of 100 corpus pages into a temp DB.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ImportService } from '../src/services/importService.js';
import { tempStore } from '../test/helpers/store.js';

const DIR = fileURLToPath(new URL('../test/fixtures/pages/', import.meta.url));
const BATCH = 100;

/** A corpus page given a title (and so a slug) of its own, so 100 pages make 100 groups. */
function withDistinctTitle(text: string, i: number): string {
  const title = `Bench group ${i}`;
  if (/^---\r?\n[\s\S]*?^title:/m.test(text))
    return text.replace(/^title:.*(?:\r?\n\s+.*)*$/m, `title: "${title}"`);
  return `---\ntitle: "${title}"\n---\n\n${text.replace(/^# .*$/m, '')}`;
}

export async function benchImport(): Promise<void> {
  console.log(`\n== Batch import: ${BATCH} handbook pages (the corpus, cycled) into a temp database ==`);
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const texts = files.map((f) => readFileSync(`${DIR}${f}`, 'utf8'));
  const documents = Array.from({ length: BATCH }, (_, i) => {
    const text = withDistinctTitle(texts[i % texts.length]!, i);
    return { file: `${i}-${files[i % files.length]}`, read: () => text };
  });
  const { store, cleanup } = tempStore(() => new Date('2026-11-22T10:00:00Z'));
  const service = new ImportService(store, () => new Date('2026-11-22T10:00:00Z'), {
    fiscalYearStartMonth: 2,
    baseUrl: 'https://handbook.example.com',
  });
  const started = performance.now();
  const outcomes = await service.importMany(documents);
  const ms = performance.now() - started;
  const groups = store.db.prepare('SELECT count(*) FROM working_groups').pluck().get() as number;
  const refused = outcomes.filter((o) => o.status === 'refused').length;
  console.log(
    `time:            ${(ms / 1000).toFixed(2)} s for ${BATCH} pages (${refused} refused, ${groups} groups)`,
  );
  console.log(`pages/s:         ${Math.round(BATCH / (ms / 1000))}`);
  // maxRSS is in kilobytes.
  console.log(
    `peak RSS:        ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (this process, all benches so far)`,
  );
  cleanup();
}
