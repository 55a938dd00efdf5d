import {
  adminDisplayVersionOf,
  fileVersionOf,
  parseExchangeBuild,
  supportsDedicatedHybridApp,
} from '../../src/exchange/builds';

const build = (text: string) => {
  const parsed = parseExchangeBuild(text);
  if (!parsed) throw new Error(`not a build: ${text}`);
  return parsed;
};

describe('Exchange build numbers', () => {
  it('reads the plain, the ExSetup file version and the AdminDisplayVersion forms alike', () => {
    const expected = { major: 15, minor: 2, build: 1748, revision: 24 };
    expect(parseExchangeBuild('15.2.1748.24')).toEqual(expected);
    expect(parseExchangeBuild('15.02.1748.024')).toEqual(expected);
    expect(parseExchangeBuild('Version 15.2 (Build 1748.24)')).toEqual(expected);
    expect(parseExchangeBuild('15.2')).toBeNull();
    expect(parseExchangeBuild('Version 15.2')).toBeNull();
  });

  it('writes the ExSetup and AdminDisplayVersion forms as Exchange shows them', () => {
    expect(fileVersionOf(build('15.1.2507.55'))).toBe('15.01.2507.055');
    expect(adminDisplayVersionOf(build('15.2.1748.10'))).toBe('Version 15.2 (Build 1748.10)');
  });

  it.each([
    ['2016 CU23 before the April 2025 HU', '15.1.2507.44', false],
    ['2016 CU23 with the April 2025 HU', '15.1.2507.55', true],
    ['2019 CU14 RTM', '15.2.1544.4', false],
    ['2019 CU14 with the April 2025 HU', '15.2.1544.25', true],
    ['2019 CU15 RTM', '15.2.1748.10', false],
    ['2019 CU15 with the April 2025 HU', '15.2.1748.24', true],
    ['2019 CU15 with a later update', '15.2.1748.37', true],
    ['Exchange SE RTM', '15.2.2562.17', true],
    ['a later Exchange SE build', '15.2.2700.5', true],
    ['2019 CU13', '15.2.1258.12', false],
    ['Exchange 2013 CU23', '15.0.1497.2', false],
  ])('says whether %s (%s) supports the dedicated hybrid application', (_name, text, supported) => {
    expect(supportsDedicatedHybridApp(build(text))).toBe(supported);
  });
});
