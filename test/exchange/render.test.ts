import { CMDLET_NAMES, type EmsCommand } from '../../src/core/ems';
import { CodedError } from '../../src/core/errors';
import { CMDLET_SPECS } from '../../src/exchange/cmdlets';
import { inspectCommandLine } from '../../src/exchange/parse';
import { formatCommand, quoteLiteral, renderCommand, renderCommands } from '../../src/exchange/render';
import { DANGEROUS_NODE_TYPES, decodeLikePowerShell, expectOneCommand } from './helpers';
import { ALL_SAMPLES, SAMPLE_COMMANDS } from './samples';

const HOSTILE_VALUES: readonly string[] = [
  '$(Remove-Item C:\\)',
  '`$x',
  'a`b``c`',
  'x; Remove-Mailbox -Identity admin',
  "'",
  "O'Brien",
  "''",
  "'; Remove-Item C:\\ -Recurse; '",
  '"',
  '"$env:USERNAME"',
  '\u2018left\u2019 and \u2019right\u2018',
  '\u201alow\u201b reversed',
  '\u2019; Remove-Item C:\\; \u2018',
  '\u201cdouble\u201d \u201e',
  'line1\nline2',
  'line1\r\nRemove-Item C:\\',
  '\n',
  'a | Remove-Mailbox',
  'a & b && c || d',
  '# not a comment',
  '<# block #>',
  '@(1,2)',
  '@{a=1}',
  '$true',
  '-Confirm:$false',
  '--% stop',
  '> out.txt 2>&1',
  '😀 emoji, ümlauts, 中文, \u00a0nbsp, \u200bzero-width',
  '\ufeffbom',
  '',
];

describe('renderCommand', () => {
  it('renders the Teams scheduler mail user exactly as an admin would type it', () => {
    expect(renderCommand(SAMPLE_COMMANDS['New-MailUser'])).toBe(
      "New-MailUser -Name 'TeamsScheduler' -ApplicationAccount " +
        "-ExternalEmailAddress 'TeamsScheduler-ApplicationAccount@contoso.com' -DomainController 'dc01.contoso.com'",
    );
  });

  it('renders booleans as $true/$false, a false switch in colon form, and integers bare', () => {
    expect(renderCommand(SAMPLE_COMMANDS['Set-PartnerApplication'])).toBe(
      "Set-PartnerApplication -Identity 'SfBOnline' -Enabled $false " +
        "-LinkedAccount 'SfBOnline-ApplicationAccount' -DomainController 'dc01.contoso.com'",
    );
    expect(renderCommand(SAMPLE_COMMANDS['Remove-PartnerApplication'])).toBe(
      "Remove-PartnerApplication -Identity 'SfBOnline' -Confirm:$false -DomainController 'dc01.contoso.com'",
    );
    expect(renderCommand({ cmdlet: 'New-ExchangeCertificate', params: { KeySize: 2048 } })).toBe(
      'New-ExchangeCertificate -KeySize 2048',
    );
  });

  it('renders lists as comma-joined literals and an empty list as @()', () => {
    expect(
      renderCommand({ cmdlet: 'New-ExchangeCertificate', params: { DomainName: ['a.com', "b'c"] } }),
    ).toBe("New-ExchangeCertificate -DomainName 'a.com','b''c'");
    expect(renderCommand({ cmdlet: 'New-ExchangeCertificate', params: { DomainName: [] } })).toBe(
      'New-ExchangeCertificate -DomainName @()',
    );
  });

  it('renders dates as single-quoted ISO strings', () => {
    expect(
      renderCommand({ cmdlet: 'Set-AuthConfig', params: { NewCertificateEffectiveDate: '2025-03-01' } }),
    ).toBe("Set-AuthConfig -NewCertificateEffectiveDate '2025-03-01'");
  });

  it('keeps the parameters in insertion order', () => {
    const line = renderCommand({ cmdlet: 'Get-MailUser', params: { DomainController: 'dc', Identity: 'x' } });
    expect(line).toBe("Get-MailUser -DomainController 'dc' -Identity 'x'");
  });

  it('doubles ASCII and typographic single quotes alike', () => {
    expect(quoteLiteral("it's \u2018a\u2019 \u201ab\u201b")).toBe(
      "'it''s \u2018\u2018a\u2019\u2019 \u201a\u201ab\u201b\u201b'",
    );
  });

  it('refuses commands that validation refuses', () => {
    expect(() => renderCommand({ cmdlet: 'Get-MailUser', params: { Identity: 'a\nb' } })).toThrow(CodedError);
  });

  it('joins several commands with newlines', () => {
    const [first, second] = [SAMPLE_COMMANDS['Get-AuthConfig'], SAMPLE_COMMANDS['Get-MailUser']];
    expect(renderCommands([first, second])).toBe(`${renderCommand(first)}\n${renderCommand(second)}`);
  });
});

describe('every rendered sample', () => {
  it('covers every cmdlet in the spec table', () => {
    expect(Object.keys(SAMPLE_COMMANDS).sort()).toEqual([...CMDLET_NAMES].sort());
    expect(Object.keys(CMDLET_SPECS).sort()).toEqual([...CMDLET_NAMES].sort());
  });

  it.each(ALL_SAMPLES.map((cmd, i) => [`${i}: ${cmd.cmdlet}`, cmd] as const))(
    'parses as one command of the expected name whose arguments are parameters and literals (%s)',
    (_label, cmd: EmsCommand) => {
      const line = inspectCommandLine(renderCommand(cmd));
      expectOneCommand(line, cmd.cmdlet);
      const allowed = new Set(['parameter', 'verbatim-string', 'integer', 'boolean', 'empty-array']);
      expect(line.arguments.filter((arg) => !allowed.has(arg.kind))).toEqual([]);
      for (const arg of line.arguments.filter((a) => a.kind === 'boolean')) {
        expect(['$true', '$false']).toContain(arg.text);
      }
      const dangerous = DANGEROUS_NODE_TYPES.filter((type) => type !== 'array_expression');
      expect(line.nodeTypes.filter((type) => dangerous.includes(type))).toEqual([]);
    },
  );
});

describe('a hostile string value', () => {
  it.each(HOSTILE_VALUES.map((value) => [JSON.stringify(value), value] as const))(
    'renders as a single verbatim literal whose decoded content is the original value (%s)',
    (_label, value: string) => {
      // formatCommand skips content checks, so values validation refuses (line breaks) are still covered.
      const text = formatCommand({ cmdlet: 'Get-MailUser', params: { Identity: value } });
      const line = inspectCommandLine(text);
      expectOneCommand(line, 'Get-MailUser');
      expect(line.arguments.map((arg) => arg.kind)).toEqual(['parameter', 'verbatim-string']);
      expect(
        line.nodeTypes.filter((type) => DANGEROUS_NODE_TYPES.includes(type) || type === 'variable'),
      ).toEqual([]);
      const literal = line.arguments[1]?.text ?? '';
      expect(text).toBe(`Get-MailUser -Identity ${literal}`);
      expect(decodeLikePowerShell(literal)).toBe(value);
    },
  );

  it('also survives as an item of a list', () => {
    const text = formatCommand({
      cmdlet: 'New-ExchangeCertificate',
      params: { DomainName: [...HOSTILE_VALUES] },
    });
    const line = inspectCommandLine(text);
    expectOneCommand(line, 'New-ExchangeCertificate');
    const values = line.arguments.slice(1);
    expect(values.every((arg) => arg.kind === 'verbatim-string')).toBe(true);
    expect(values.map((arg) => decodeLikePowerShell(arg.text))).toEqual(HOSTILE_VALUES);
  });

  it.each([...CMDLET_NAMES])(
    'fills every free-text parameter of %s as one literal each, never as code',
    (cmdlet) => {
      const params = Object.entries(CMDLET_SPECS[cmdlet].params).filter(
        ([, spec]) => !spec.values && (spec.kind === 'string' || spec.kind === 'strings'),
      );
      for (const value of HOSTILE_VALUES) {
        const command = {
          cmdlet,
          params: Object.fromEntries(
            params.map(([name, spec]) => [name, spec.kind === 'strings' ? [value, value] : value]),
          ),
        } as EmsCommand;
        const line = inspectCommandLine(formatCommand(command));
        expectOneCommand(line, cmdlet);
        const literals = line.arguments.filter((arg) => arg.kind !== 'parameter');
        expect(literals.every((arg) => arg.kind === 'verbatim-string')).toBe(true);
        expect(literals.map((arg) => decodeLikePowerShell(arg.text))).toEqual(
          params.flatMap(([, spec]) => (spec.kind === 'strings' ? [value, value] : [value])),
        );
        expect(
          line.nodeTypes.filter((type) => DANGEROUS_NODE_TYPES.includes(type) || type === 'variable'),
        ).toEqual([]);
      }
    },
  );

  it('with a NUL inside still renders inside one literal', () => {
    expect(formatCommand({ cmdlet: 'Get-MailUser', params: { Identity: "a\u0000'" } })).toBe(
      "Get-MailUser -Identity 'a\u0000'''",
    );
  });
});

describe('formatCommand', () => {
  it('refuses values of the wrong type even without content checks', () => {
    const wrong = { cmdlet: 'Get-MailUser', params: { Identity: 5 } } as unknown as EmsCommand;
    expect(() => formatCommand(wrong)).toThrow(expect.objectContaining({ code: 'BAD_VALUE' }));
    const unknown = { cmdlet: 'Remove-Mailbox', params: {} } as unknown as EmsCommand;
    expect(() => formatCommand(unknown)).toThrow(expect.objectContaining({ code: 'UNKNOWN_CMDLET' }));
  });
});
