/**
 * Exchange build numbers: reading the two forms Exchange shows (Get-ExchangeServer's AdminDisplayVersion and
 * ExSetup.exe's file version), and the minimum builds of the dedicated Exchange hybrid application.
 */

/** A build as four numbers, e.g. 15.2.1748.24. */
export interface ExchangeBuild {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly revision: number;
}

/** Reads `15.2.1748.24`, ExSetup's `15.02.1748.024`, or AdminDisplayVersion's `Version 15.2 (Build 1748.10)`. */
export function parseExchangeBuild(text: string): ExchangeBuild | null {
  const display = /^Version (\d+)\.(\d+) \(Build (\d+)\.(\d+)\)$/.exec(text.trim());
  const plain = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  const parts = (display ?? plain)?.slice(1, 5).map(Number);
  if (!parts || parts.some((part) => !Number.isSafeInteger(part))) return null;
  const [major, minor, build, revision] = parts as [number, number, number, number];
  return { major, minor, build, revision };
}

/** `15.2.1748.24`. */
export function formatBuild(build: ExchangeBuild): string {
  return `${build.major}.${build.minor}.${build.build}.${build.revision}`;
}

/** ExSetup.exe's FileVersion form: `15.02.1748.024`. */
export function fileVersionOf(build: ExchangeBuild): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${build.major}.${pad(build.minor, 2)}.${pad(build.build, 4)}.${pad(build.revision, 3)}`;
}

/** Get-ExchangeServer's AdminDisplayVersion form: `Version 15.2 (Build 1748.10)`. */
export function adminDisplayVersionOf(build: ExchangeBuild): string {
  return `Version ${build.major}.${build.minor} (Build ${build.build}.${build.revision})`;
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. */
export function compareBuilds(a: ExchangeBuild, b: ExchangeBuild): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build || a.revision - b.revision;
}

/** One cumulative update: its RTM build (what AdminDisplayVersion shows) and its name. */
export interface CumulativeUpdate {
  readonly name: string;
  readonly rtm: string;
  /** The April 18, 2025 Hotfix Update of this CU, the first build with the dedicated hybrid app; null when every build of it has it. */
  readonly dedicatedHybridAppMinimum: string | null;
}

/**
 * The CUs the dedicated Exchange hybrid application guidance names (CSS-Exchange's build dictionary and the
 * Learn build-number table): Apr25HU for 2016 CU23, 2019 CU14 and CU15; every Exchange SE build.
 */
export const CUMULATIVE_UPDATES: readonly CumulativeUpdate[] = [
  { name: 'Exchange Server 2016 CU23', rtm: '15.1.2507.6', dedicatedHybridAppMinimum: '15.1.2507.55' },
  { name: 'Exchange Server 2019 CU14', rtm: '15.2.1544.4', dedicatedHybridAppMinimum: '15.2.1544.25' },
  { name: 'Exchange Server 2019 CU15', rtm: '15.2.1748.10', dedicatedHybridAppMinimum: '15.2.1748.24' },
  { name: 'Exchange Server SE RTM', rtm: '15.2.2562.17', dedicatedHybridAppMinimum: null },
];

/** The CU a build belongs to (same major, minor and build number), if it is one of CUMULATIVE_UPDATES. */
export function cumulativeUpdateOf(build: ExchangeBuild): CumulativeUpdate | undefined {
  return CUMULATIVE_UPDATES.find((cu) => {
    const rtm = parseExchangeBuild(cu.rtm);
    return (
      rtm !== null && rtm.major === build.major && rtm.minor === build.minor && rtm.build === build.build
    );
  });
}

/**
 * Whether ExSetup's build supports the dedicated Exchange hybrid application: at least the Apr25HU of its CU, any
 * build of a newer CU than the newest one listed for its version, or any Exchange SE build. Older CUs don't.
 */
export function supportsDedicatedHybridApp(build: ExchangeBuild): boolean {
  const cu = cumulativeUpdateOf(build);
  if (cu) {
    const minimum = cu.dedicatedHybridAppMinimum;
    return minimum === null || compareBuilds(build, parseExchangeBuild(minimum) as ExchangeBuild) >= 0;
  }
  const newestListed = CUMULATIVE_UPDATES.map((listed) => parseExchangeBuild(listed.rtm) as ExchangeBuild)
    .filter((listed) => listed.major === build.major && listed.minor === build.minor)
    .sort(compareBuilds)
    .pop();
  return newestListed !== undefined && compareBuilds(build, newestListed) > 0;
}
