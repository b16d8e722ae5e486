import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layer rules in eslint.config.js, run through ESLint's own API on snippets placed (by name only) in
// the folders they govern: a rule that stopped biting, or one that bites what is allowed, fails here.
// `npm run lint` holds the whole of src/ to them.
const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function restrictions(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId?.endsWith('no-restricted-imports'))
    .map((m) => `${m.ruleId}: ${m.message}`);
}

// Loading the config (typescript-eslint) takes a while on a busy machine: a generous limit, not a timing.
describe('layer boundaries', { timeout: 60_000 }, () => {
  it('refuses a service that imports a Slack view', async () => {
    const found = await restrictions(
      'src/services/x.ts',
      "import { statusView } from '../slack/views/status.js';\nexport const view = statusView;\n",
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("'../slack/views/status.js' import is restricted");
    expect(found[0]).toContain('Services return outcomes');
  });

  it('lets a service import another service, the store and the domain', async () => {
    const code = [
      "import { statusReport } from './status.js';",
      "import type { Store } from '../store/store.js';",
      "import type { WorkingGroup } from '../domain/types.js';",
      'export type Parts = [typeof statusReport, Store, WorkingGroup];',
      '',
    ].join('\n');
    expect(await restrictions('src/services/x.ts', code)).toEqual([]);
  });

  it('refuses @slack/* in a service, even as a type', async () => {
    const found = await restrictions(
      'src/services/x.ts',
      "import type { WebClient } from '@slack/web-api';\nexport type Client = WebClient;\n",
    );
    expect(found).toHaveLength(1);
  });

  it('keeps the domain pure: no node I/O, nothing outside src/domain', async () => {
    expect(
      await restrictions(
        'src/domain/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictions(
        'src/domain/x.ts',
        "import type { Store } from '../store/store.js';\nexport type S = Store;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictions(
        'src/domain/x.ts',
        "import type { Criterion } from './types.js';\nexport type C = Criterion;\n",
      ),
    ).toEqual([]);
  });

  it('keeps the store to the domain, and the GitLab and Slack adapters apart', async () => {
    const gitlabUrls =
      "import { parseSourceUrl } from '../../gitlab/urls.js';\nexport const p = parseSourceUrl;\n";
    expect(await restrictions('src/store/repositories/x.ts', gitlabUrls)).toHaveLength(1);
    expect(await restrictions('src/slack/listeners/x.ts', gitlabUrls)).toHaveLength(1);
    expect(
      await restrictions(
        'src/gitlab/x.ts',
        "import { SlackDirectory } from '../slack/directory.js';\nexport const d = SlackDirectory;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictions(
        'src/store/repositories/x.ts',
        "import type { SourceRef } from '../../domain/sources.js';\nexport type R = SourceRef;\n",
      ),
    ).toEqual([]);
  });

  it('lets views import service types but not service code', async () => {
    expect(
      await restrictions(
        'src/slack/views/x.ts',
        "import type { StatusReport } from '../../services/status.js';\nexport type R = StatusReport;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictions(
        'src/slack/views/x.ts',
        "import { statusReport } from '../../services/status.js';\nexport const r = statusReport;\n",
      ),
    ).toHaveLength(1);
  });
});
