/** pino-roll 4 ships no types: the part of its options the agent's log uses. */
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom';

  interface PinoRollOptions {
    /** The log file; pino-roll numbers it (`agent.1.log`, `agent.2.log`, …). */
    readonly file: string;
    readonly size?: string | number;
    readonly frequency?: 'daily' | 'hourly' | number;
    readonly extension?: string;
    readonly mkdir?: boolean;
    readonly limit?: { readonly count?: number };
    readonly sync?: boolean;
  }

  /** Opens the rotating file; resolves with a SonicBoom stream pino writes to. */
  function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
  export = pinoRoll;
}
