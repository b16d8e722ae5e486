import type { Root } from 'mdast';
import { parseDocument as parseYamlDocument } from 'yaml';
import type { ImportWarning } from './errors.js';
import { lineOf } from './markdown.js';

export interface FrontMatter {
  title: string | null;
  description: string | null;
  slug: string | null;
  /** The page's own word for where the group stands ('active', 'completed', 'disbanded', 'paused'…). */
  status: string | null;
}

const NONE: FrontMatter = { title: null, description: null, slug: null, status: null };
const FIELDS = ['title', 'description', 'slug', 'status'] as const;

/**
 * 'key: value' lines, for front matter YAML refuses (a stray colon, a tab): a person wrote a title there,
 * and a warning about the YAML is better than losing it.
 */
function looseFields(text: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (match)
      record[match[1]!.toLowerCase()] = match[2]!
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2')
        .replace(/^['"]/, '');
  }
  return record;
}

function readYaml(value: string, firstLine: number, warnings: ImportWarning[]): Record<string, unknown> {
  const doc = parseYamlDocument(value, { uniqueKeys: false, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0]?.line;
    warnings.push({
      line: at ? firstLine + at - 1 : firstLine,
      message: `the front matter is not valid YAML (${error.message.split('\n')[0]}); read line by line`,
    });
    return looseFields(value);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (failure) {
    warnings.push({
      line: firstLine,
      message: `the front matter cannot be read (${(failure as Error).message}); ignored`,
    });
    return {};
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    warnings.push({
      line: firstLine,
      message: 'the front matter is not a YAML mapping such as `title: "…"`; ignored',
    });
    return {};
  }
  return data as Record<string, unknown>;
}

/** The page's YAML front matter: title, description, slug and status; anything odd in it is a warning. */
export function readFrontMatter(root: Root, warnings: ImportWarning[]): FrontMatter {
  const node = root.children[0];
  if (node?.type !== 'yaml') return { ...NONE };
  const firstLine = (lineOf(node) ?? 1) + 1;
  const record = readYaml(node.value, firstLine, warnings);
  const lower = Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  const result: FrontMatter = { ...NONE };
  for (const key of FIELDS) {
    const value = lower[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      result[key] = String(value).replace(/\s+/g, ' ').trim() || null;
    } else {
      warnings.push({ line: firstLine, message: `the front matter field '${key}' is not text; ignored` });
    }
  }
  return result;
}
