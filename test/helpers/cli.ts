import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/wgbot.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `wgbot` executable (the compiled CLI; `npm test` builds it first), optionally as another
 * user (`as`: needs root; how a test run as root sees a read-only directory as others do).
 */
export function wgbot(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
  as?: { uid: number; gid: number },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        timeout: 20_000,
        ...(cwd ? { cwd } : {}),
        ...(as ? { uid: as.uid, gid: as.gid } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
