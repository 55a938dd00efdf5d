import { CodedError } from '../../src/core/errors';
import { parseCommandLine } from '../../src/exchange/parse';
import { formatCommand, renderCommand } from '../../src/exchange/render';
import { ALL_SAMPLES } from './samples';

function refusal(text: string): CodedError {
  try {
    parseCommandLine(text);
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
}

describe('parseCommandLine', () => {
  it.each(ALL_SAMPLES.map((cmd, i) => [`${i}: ${cmd.cmdlet}`, cmd] as const))(
    'gives back exactly the command that was rendered (%s)',
    (_label, cmd) => {
      expect(parseCommandLine(renderCommand(cmd))).toEqual(cmd);
    },
  );

  it('reads the commands as the integration articles write them', () => {
    expect(
      parseCommandLine(
        'New-PartnerApplication -Name "SfBOnline" -ApplicationIdentifier "00000004-0000-0ff1-ce00-000000000000" -Enabled $true',
      ),
    ).toEqual({
      cmdlet: 'New-PartnerApplication',
      params: {
        Name: 'SfBOnline',
        ApplicationIdentifier: '00000004-0000-0ff1-ce00-000000000000',
        Enabled: true,
      },
    });
    expect(
      parseCommandLine('Get-ManagementRoleEntry "TeamsSchedulerRole\\*" -DomainController dc01.contoso.com'),
    ).toEqual({
      cmdlet: 'Get-ManagementRoleEntry',
      params: { Identity: 'TeamsSchedulerRole\\*', DomainController: 'dc01.contoso.com' },
    });
    expect(
      parseCommandLine(
        'New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName "cn=Microsoft Exchange Server Auth Certificate" -DomainName @()',
      ),
    ).toEqual({
      cmdlet: 'New-ExchangeCertificate',
      params: {
        KeySize: 2048,
        PrivateKeyExportable: true,
        SubjectName: 'cn=Microsoft Exchange Server Auth Certificate',
        DomainName: [],
      },
    });
  });

  it('normalizes cmdlet and parameter letter case and accepts the -Param:value form', () => {
    expect(parseCommandLine("remove-partnerapplication -identity:'SfBOnline' -CONFIRM:$False")).toEqual({
      cmdlet: 'Remove-PartnerApplication',
      params: { Identity: 'SfBOnline', Confirm: false },
    });
    expect(parseCommandLine('Set-AuthConfig -PublishCertificate -Confirm: $false')).toEqual({
      cmdlet: 'Set-AuthConfig',
      params: { PublishCertificate: true, Confirm: false },
    });
  });

  it('reads a single value or a comma list for a multi-valued parameter', () => {
    expect(parseCommandLine("New-ExchangeCertificate -DomainName 'a.contoso.com'").params.DomainName).toEqual(
      ['a.contoso.com'],
    );
    expect(parseCommandLine("New-ExchangeCertificate -DomainName 'a', \"b\",'c'").params.DomainName).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('decodes doubled ASCII and typographic quotes the way PowerShell does', () => {
    const text = formatCommand({ cmdlet: 'Get-MailUser', params: { Identity: "O'Brien \u2018x\u2019" } });
    expect(parseCommandLine(text).params.Identity).toBe("O'Brien \u2018x\u2019");
    expect(parseCommandLine('Get-MailUser -Identity "say ""hi"""').params.Identity).toBe('say "hi"');
  });

  it.each([
    [
      'Get-PartnerApplication | Remove-PartnerApplication',
      'NOT_ONE_COMMAND',
      'Only one command is allowed; found a pipeline.',
    ],
    ['Get-AuthConfig; Get-AuthServer', 'NOT_ONE_COMMAND', "Only one command is allowed; found ';'."],
    [
      'Get-AuthConfig\nGet-AuthServer',
      'NOT_ONE_COMMAND',
      'Only one command is allowed; found a second statement.',
    ],
    ['Get-AuthConfig && Get-AuthServer', 'NOT_ONE_COMMAND', "Only one command is allowed; found '&&'."],
    [
      'Set-MailUser -Identity $user -HiddenFromAddressListsEnabled $true',
      'FORBIDDEN_SYNTAX',
      'Variables are not allowed: $user',
    ],
    ['Set-MailUser -Identity $user.Identity', 'FORBIDDEN_SYNTAX', 'Variables are not allowed: $user'],
    [
      'Get-MailUser -Identity $(Remove-Item C:\\)',
      'FORBIDDEN_SYNTAX',
      'Subexpressions are not allowed: $(Remove-Item C:\\\\)',
    ],
    [
      'Get-MailUser -Identity "$env:USERNAME"',
      'FORBIDDEN_SYNTAX',
      'Variables are not allowed: $env:USERNAME',
    ],
    [
      'Get-MailUser -Identity "a`nb"',
      'FORBIDDEN_SYNTAX',
      'Double-quoted strings with $, backtick or typographic quotes',
    ],
    ['Get-MailUser @splat', 'FORBIDDEN_SYNTAX', 'Splatting is not allowed: @splat'],
    ['Get-MailUser -Identity { Remove-Item C:\\ }', 'FORBIDDEN_SYNTAX', 'Script blocks are not allowed'],
    ['Get-MailUser -Identity (Get-Date)', 'FORBIDDEN_SYNTAX', 'Parenthesized expressions are not allowed'],
    ['Get-MailUser -Identity x > out.txt', 'FORBIDDEN_SYNTAX', 'Redirections are not allowed'],
    ['Get-MailUser # who', 'FORBIDDEN_SYNTAX', 'Comments are not allowed'],
    ['Get-MailUser --% anything', 'FORBIDDEN_SYNTAX', 'The stop-parsing token --% is not allowed.'],
    ['& Get-MailUser', 'FORBIDDEN_SYNTAX', 'The call operators & and . are not allowed.'],
    ['$x = Get-MailUser', 'FORBIDDEN_SYNTAX', 'Assignments are not allowed.'],
    ['Remove-Mailbox -Identity admin', 'UNKNOWN_CMDLET', "Cmdlet 'Remove-Mailbox' is not in the allowlist."],
    [
      "Invoke-Expression 'Remove-Item C:\\'",
      'UNKNOWN_CMDLET',
      "Cmdlet 'Invoke-Expression' is not in the allowlist.",
    ],
    ['Get-MailUser -Filter x', 'UNKNOWN_PARAMETER', 'Get-MailUser has no parameter -Filter.'],
    [
      'Remove-PartnerApplication -Identity x -Conf:$false',
      'UNKNOWN_PARAMETER',
      'write parameter names in full, e.g. -Confirm.',
    ],
    [
      'Get-MailUser -Identity a -Identity b',
      'DUPLICATE_PARAMETER',
      'Get-MailUser -Identity is given more than once.',
    ],
    ['Get-AuthConfig stray', 'BAD_ARGUMENT', 'The argument stray has no parameter name'],
    [
      'Remove-PartnerApplication x -Confirm $false',
      'BAD_ARGUMENT',
      'A switch takes its value only after a colon, as -Confirm:$false.',
    ],
    ['Set-PartnerApplication x -Enabled', 'BAD_ARGUMENT', 'Set-PartnerApplication -Enabled needs a value.'],
    [
      "Set-PartnerApplication x -Enabled 'true'",
      'BAD_ARGUMENT',
      'Set-PartnerApplication -Enabled takes $true or $false.',
    ],
    ['New-ExchangeCertificate -KeySize 2kb', 'BAD_ARGUMENT', 'Only plain decimal integers are allowed'],
    ['Get-MailUser -Identity 1e3', 'BAD_ARGUMENT', 'Only whole numbers are allowed'],
    ["Get-MailUser -Identity a'b'", 'FORBIDDEN_SYNTAX', 'Quote characters inside an unquoted value'],
    ['Get-MailUser -Identity \u2018x\u2019', 'FORBIDDEN_SYNTAX', 'Quote characters inside an unquoted value'],
    [
      "Get-MailUser -Identity 'x\u2019; Remove-Item C:\\; \u2018'",
      'FORBIDDEN_SYNTAX',
      'A typographic quote ends this string early',
    ],
    [
      'Get-MailUser -Identity x`\n-Server y',
      'FORBIDDEN_SYNTAX',
      'Line continuations (a backtick at the end of a line)',
    ],
    [
      'Get-MailUser -Identity "a\nb"',
      'BAD_VALUE',
      'Get-MailUser -Identity contains a control or line-break character (U+000A)',
    ],
    [
      "Get-MailUser -Identity 'a\u0000'",
      'FORBIDDEN_SYNTAX',
      'Control characters are not allowed in a command line (U+0000).',
    ],
    ['New-MailUser -Name x', 'MISSING_PARAMETER', 'New-MailUser needs -ExternalEmailAddress.'],
    ["Get-MailUser -Identity 'unterminated", 'SYNTAX', 'The command line is not valid PowerShell near'],
    ['   ', 'EMPTY', 'The command line is empty.'],
  ])('refuses %j with %s', (text, code, message) => {
    const error = refusal(text);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('refuses a command line longer than the limit', () => {
    expect(refusal(`Get-MailUser -Identity '${'x'.repeat(20_000)}'`).code).toBe('TOO_LONG');
  });
});
