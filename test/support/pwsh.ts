/**
 * A real PowerShell for the tests that need one. Without one on PATH these tests fail under CI=true (CI
 * installs it) and elsewhere are skipped with one line that says how to install it.
 */
import { execFile, execFileSync } from 'node:child_process';

export const PWSH_INSTALL =
  'dotnet tool install --global PowerShell --version 7.6.9, then put ~/.dotnet/tools on PATH';

function findShell(): string | null {
  for (const name of ['pwsh', 'powershell']) {
    try {
      execFileSync(name, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.Major'], {
        stdio: 'ignore',
        timeout: 30_000,
      });
      return name;
    } catch {
      // Not installed under this name; try the next one.
    }
  }
  return null;
}

/** `pwsh` (or Windows PowerShell's `powershell`) when one runs here, else null. */
export const shell: string | null = findShell();

/** describe() for tests that run a real shell: see the module comment for what happens without one. */
export function describeWithShell(title: string, body: (shell: string) => void): void {
  if (shell) {
    describe(title, () => body(shell));
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has PowerShell to run on', () => {
        throw new Error(
          `No pwsh or powershell on PATH, and CI=true needs the real-shell tests: ${PWSH_INSTALL}.`,
        );
      });
    });
    return;
  }
  process.stdout.write(`${title}: SKIPPED, no pwsh on PATH (${PWSH_INSTALL}).\n`);
  describe.skip(title, () => body('pwsh'));
}

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script in a fresh shell without blocking this process (which may be serving the lab endpoint). */
export function runScript(script: string, env: NodeJS.ProcessEnv = process.env): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      shell ?? 'pwsh',
      // -EncodedCommand (UTF-16LE base64) keeps quotes and newlines intact on every platform.
      ['-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')],
      { env: { ...env, TERM: 'dumb' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
