/**
 * HybridOps.Lab against the one cmdlet spec table: PowerShell's own view of every function (Get-Command)
 * must agree with src/exchange/cmdlets.ts, so the module and the table cannot drift apart.
 */

import { CMDLET_NAMES, type CmdletName } from '../../src/core/ems';
import { CMDLET_SPECS, type ParamKind } from '../../src/exchange/cmdlets';
import { describeWithShell, runScript } from '../support/pwsh';
import { importModule } from './support';

interface ParamMeta {
  readonly name: string;
  readonly type: string;
  readonly sets: readonly { set: string; mandatory: boolean; position: number }[];
  /** Each ValidateSet's values, and whether it ignores case. */
  readonly validateSets: readonly { values: readonly string[]; ignoreCase: boolean }[];
}

interface FunctionMeta {
  readonly name: string;
  readonly advanced: boolean;
  readonly shouldProcess: boolean;
  readonly defaultSet: string;
  readonly sets: readonly string[];
  readonly params: readonly ParamMeta[];
}

const DUMP = `${importModule}
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$report = foreach ($c in Get-Command -Module HybridOps.Lab) {
  $params = foreach ($p in $c.Parameters.Values) {
    if ($common -contains $p.Name) { continue }
    $validateSets = @(foreach ($a in $p.Attributes) { if ($a -is [System.Management.Automation.ValidateSetAttribute]) {
      [ordered]@{ values = @($a.ValidValues); ignoreCase = $a.IgnoreCase } } })
    [ordered]@{ name = $p.Name; type = $p.ParameterType.FullName; sets = @(foreach ($k in $p.ParameterSets.Keys) {
      [ordered]@{ set = $k; mandatory = $p.ParameterSets[$k].IsMandatory; position = $p.ParameterSets[$k].Position } });
      validateSets = $validateSets }
  }
  $default = @($c.ParameterSets | Where-Object { $_.IsDefault } | ForEach-Object { $_.Name })
  [ordered]@{ name = $c.Name; advanced = $c.CmdletBinding; shouldProcess = $c.Parameters.ContainsKey('WhatIf');
    defaultSet = [string]($default + @($c.ParameterSets[0].Name))[0]; sets = @($c.ParameterSets | ForEach-Object { $_.Name }); params = @($params) }
}
ConvertTo-Json -InputObject @($report) -Depth 8 -Compress`;

const TYPE_OF: Record<ParamKind, string> = {
  string: 'System.String',
  bool: 'System.Boolean',
  switch: 'System.Management.Automation.SwitchParameter',
  int: 'System.Int32',
  datetime: 'System.DateTime',
  strings: 'System.String[]',
};

/** The parameter sets a parameter belongs to, by name (one declared in no set belongs to every set). */
function memberSets(param: ParamMeta, all: readonly string[]): string[] {
  const sets = param.sets.map((s) => s.set);
  return (sets.includes('__AllParameterSets') ? [...all] : sets).sort();
}

/** Whether the parameter is mandatory in the parameter set PowerShell binds when nothing else decides. */
function mandatoryByDefault(param: ParamMeta, defaultSet: string): boolean {
  return param.sets.some((s) => (s.set === defaultSet || s.set === '__AllParameterSets') && s.mandatory);
}

describeWithShell('the HybridOps.Lab module against the cmdlet spec table', () => {
  jest.setTimeout(120_000);
  let functions: Map<string, FunctionMeta>;
  beforeAll(async () => {
    const run = await runScript(DUMP);
    expect(run.stderr).toBe('');
    functions = new Map((JSON.parse(run.stdout) as FunctionMeta[]).map((meta) => [meta.name, meta]));
  });

  it('exports one advanced function per allowlisted cmdlet and nothing else', () => {
    expect([...functions.keys()].sort()).toEqual([...CMDLET_NAMES].sort());
    expect([...functions.values()].filter((meta) => !meta.advanced)).toEqual([]);
  });

  describe.each(CMDLET_NAMES.map((name) => [name]))('%s', (name: CmdletName) => {
    const spec = CMDLET_SPECS[name];
    const meta = () => functions.get(name) as FunctionMeta;
    const param = (p: string) => meta().params.find((candidate) => candidate.name === p) as ParamMeta;

    it('declares exactly the spec’s parameters, -Confirm through SupportsShouldProcess', () => {
      const declared = meta().params.map((p) => p.name);
      expect(declared.sort()).toEqual(
        Object.keys(spec.params)
          .filter((p) => p !== 'Confirm')
          .sort(),
      );
      if ('Confirm' in spec.params) expect(meta().shouldProcess).toBe(true);
    });

    it('types each parameter as the spec’s kind', () => {
      for (const [p, { kind }] of Object.entries(spec.params)) {
        if (p !== 'Confirm') expect([p, param(p).type]).toEqual([p, TYPE_OF[kind]]);
      }
    });

    it('binds a bare first argument to the spec’s positional parameter and to no other', () => {
      const positional = meta()
        .params.filter((p) => p.sets.some((s) => s.position >= 0))
        .map((p) => [p.name, Math.max(...p.sets.map((s) => s.position))]);
      expect(positional).toEqual(spec.positional ? [[spec.positional, 0]] : []);
    });

    it('makes the spec’s required parameters mandatory in the default parameter set, and only those', () => {
      const choices = new Set(spec.exactlyOneOf ?? []);
      for (const [p, { required }] of Object.entries(spec.params)) {
        if (p === 'Confirm' || choices.has(p)) continue;
        expect([p, mandatoryByDefault(param(p), meta().defaultSet)]).toEqual([p, required]);
      }
    });

    it('restricts exactly the spec’s restricted parameters to their values, ignoring case as the spec does', () => {
      for (const [p, { values }] of Object.entries(spec.params)) {
        if (p === 'Confirm') continue;
        const expected = values ? [{ values: [...values], ignoreCase: true }] : [];
        expect([p, param(p).validateSets]).toEqual([p, expected]);
      }
    });

    if (spec.parameterSets) {
      const sets = spec.parameterSets;
      it('declares the spec’s parameter sets, each parameter in the sets the spec puts it in', () => {
        const names = Object.keys(sets).sort();
        expect([...meta().sets].sort()).toEqual(names);
        for (const p of Object.keys(spec.params)) {
          if (p === 'Confirm') continue;
          const owners = names.filter((set) => sets[set]?.includes(p));
          expect([p, memberSets(param(p), names)]).toEqual([p, owners.length > 0 ? owners : names]);
        }
      });
    }

    it('gives each exactly-one-of parameter a parameter set of its own where it is mandatory', () => {
      const choices = spec.exactlyOneOf ?? [];
      const setsOf = choices.map((p) =>
        param(p)
          .sets.filter((s) => s.mandatory)
          .map((s) => s.set),
      );
      for (const sets of setsOf) expect(sets.length).toBeGreaterThan(0);
      expect(new Set(setsOf.flat()).size).toBe(setsOf.flat().length);
      expect(meta().sets.length).toBeGreaterThanOrEqual(choices.length);
    });
  });
});
