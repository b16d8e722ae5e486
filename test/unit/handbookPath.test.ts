import { describe, expect, it } from 'vitest';
import { cleanPath, handbookPathCandidates } from '../../src/domain/handbookPath.js';

describe('handbookPathCandidates', () => {
  it('maps what the import recorded to files in the handbook project', () => {
    expect(handbookPathCandidates('/home/ada/handbook/content/handbook/wg/db.md')).toEqual([
      'content/handbook/wg/db.md',
    ]);
    expect(handbookPathCandidates('content/handbook/wg/db.md')).toEqual(['content/handbook/wg/db.md']);
    expect(handbookPathCandidates('./pages/db.md')).toEqual(['pages/db.md']);
    expect(handbookPathCandidates('C:\\work\\handbook\\content\\handbook\\db.md')).toEqual([
      'content/handbook/db.md',
    ]);
    expect(
      handbookPathCandidates('https://gitlab.com/acme/handbook/-/blob/main/content/handbook/wg/db.md'),
    ).toEqual(['content/handbook/wg/db.md']);
    expect(handbookPathCandidates('https://handbook.example.com/handbook/company/wg/db/')).toEqual([
      'content/handbook/company/wg/db.md',
      'content/handbook/company/wg/db/_index.md',
      'content/handbook/company/wg/db/index.md',
    ]);
  });

  it('makes no guess where nothing points into the project', () => {
    expect(handbookPathCandidates(null)).toEqual([]);
    expect(handbookPathCandidates('/tmp/db.md')).toEqual([]);
    expect(handbookPathCandidates('https://handbook.example.com/')).toEqual([]);
    expect(handbookPathCandidates('../outside/db.md')).toEqual([]);
    expect(cleanPath('a/../../etc/passwd')).toBe('');
  });
});
