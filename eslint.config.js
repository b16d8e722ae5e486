// ESLint (typescript-eslint, type-aware where it matters) for correctness; Prettier owns formatting.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layers (docs/architecture.md, "May import"): each folder of src/ may import only the folders inward of
// it. An import is matched on its first path segment once the `../` climb to src/ is done, so
// '../slack/views/status.js' from src/services/ is 'slack'. Dynamic import() is not checked.
const FOLDERS = [
  'charts',
  'cli',
  'compose',
  'demo',
  'domain',
  'gitlab',
  'http',
  'import',
  'jobs',
  'services',
  'slack',
  'store',
];
const TOP_FILES = ['cli', 'clock', 'config', 'format', 'logger', 'main'];

/** `no-restricted-imports` for `files`: no import of these folders or top-level files of src/, nor these packages. */
function layer(files, { folders = [], topFiles = [], packages = [], why }) {
  const unknown = folders.filter((f) => !FOLDERS.includes(f));
  if (unknown.length > 0) throw new Error(`eslint.config.js: no folder src/${unknown.join(', ')}`);
  const patterns = [];
  if (folders.length > 0) patterns.push({ regex: `^(\\.\\./)+(${folders.join('|')})/`, message: why });
  if (topFiles.length > 0) patterns.push({ regex: `^(\\.\\./)+(${topFiles.join('|')})\\.js$`, message: why });
  if (packages.length > 0) patterns.push({ regex: `^(${packages.join('|')})`, message: why });
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}
const except = (...allowed) => FOLDERS.filter((f) => !allowed.includes(f));
/** Node's modules that reach outside the process: the domain computes, it never does I/O. */
const NODE_IO =
  '(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|child_process|worker_threads|cluster|readline)$';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'coverage/', 'node_modules/', '**/__snapshots__/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
      eqeqeq: ['error', 'smart'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  layer(['src/domain/**'], {
    folders: except('domain'),
    topFiles: TOP_FILES,
    packages: [NODE_IO, 'better-sqlite3', 'pino', 'node-cron', '@slack/', '@gitbeaker/'],
    why: 'src/domain is pure: it imports only src/domain and libraries, and does no I/O.',
  }),
  layer(['src/store/**'], {
    folders: except('store', 'domain'),
    topFiles: TOP_FILES,
    packages: ['@slack/', '@gitbeaker/'],
    why: 'src/store imports only src/domain (and SQLite).',
  }),
  layer(['src/import/**'], {
    folders: except('import', 'domain'),
    topFiles: TOP_FILES,
    packages: ['@slack/', '@gitbeaker/'],
    why: 'src/import turns pages into data: it imports only src/domain.',
  }),
  layer(['src/services/**'], {
    folders: ['charts', 'cli', 'compose', 'demo', 'http', 'jobs', 'slack'],
    topFiles: ['cli', 'config', 'main'],
    packages: ['@slack/'],
    why: 'Services return outcomes: they never import Slack (src/slack, @slack/*), views or charts — posting goes through a port in src/services/ports.ts.',
  }),
  layer(['src/gitlab/**'], {
    folders: ['charts', 'cli', 'compose', 'demo', 'import', 'jobs', 'services', 'slack'],
    topFiles: ['cli', 'main'],
    packages: ['@slack/'],
    why: 'src/gitlab is an adapter: it never imports Slack or the services.',
  }),
  layer(['src/slack/**'], {
    folders: ['cli', 'compose', 'demo', 'gitlab'],
    topFiles: ['cli', 'main'],
    packages: ['@gitbeaker/'],
    why: 'src/slack is an adapter: it never imports src/gitlab (go through a service).',
  }),
  layer(['src/charts/**'], {
    folders: except('charts', 'services', 'domain'),
    topFiles: TOP_FILES.filter((f) => f !== 'format'),
    packages: ['@slack/'],
    why: 'src/charts draws the digest data: it imports only its types from src/services, src/domain and src/format.ts (one rounding for text and chart).',
  }),
  layer(['src/jobs/**', 'src/http/**'], {
    folders: ['charts', 'cli', 'compose', 'demo', 'gitlab', 'import', 'slack'],
    topFiles: ['cli', 'main'],
    packages: ['@slack/', '@gitbeaker/'],
    why: 'src/jobs and src/http run services and read the store; they never import adapters.',
  }),
  {
    // Views render what services computed: service types only, never a service call or the Web API.
    files: ['src/slack/views/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(services|store|jobs|http)/',
              allowTypeImports: true,
              message: 'Views import types from src/services, never code: they render, services compute.',
            },
            {
              regex: '^@slack/(bolt|web-api)',
              message: 'Views build Block Kit (@slack/types); sending it is for listeners and adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    // Benchmarks and the demo script print their figures.
    files: ['bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
