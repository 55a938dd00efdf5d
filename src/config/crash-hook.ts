/**
 * A test hook, off unless HYBRIDOPS_TEST_CRASH_AT is set: `<checkpoint>:<n>` (e.g. `command.answered:3`) kills
 * this process with SIGKILL right after the n-th time a run reaches that checkpoint (a durable write, or an answer
 * received but not yet journaled). The crash tests use it to stop a real process at every point of an apply.
 */
export const CRASH_AT = 'HYBRIDOPS_TEST_CRASH_AT';

/** The checkpoint callback the variable asks for, or undefined when it is not set. */
export function crashHookFromEnv(
  env: NodeJS.ProcessEnv,
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): ((label: string) => void) | undefined {
  const spec = env[CRASH_AT];
  const match = spec ? /^([a-z.]+):(\d{1,4})$/.exec(spec) : null;
  if (!match) return undefined;
  const [, wanted, nth] = match;
  let seen = 0;
  return (label) => {
    if (label === wanted && ++seen === Number(nth)) kill();
  };
}
