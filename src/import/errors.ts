/** The one error the importer throws: what is wrong and on which line of the document, for a person to fix. */
export class ImportError extends Error {
  override name = 'ImportError';

  constructor(
    readonly reason: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
  }
}

/** Something the importer read past: the import goes on, and the person is told. */
export interface ImportWarning {
  line: number | null;
  message: string;
}

export function formatWarning(w: ImportWarning): string {
  return w.line === null ? w.message : `line ${w.line}: ${w.message}`;
}
