import { CMDLET_NAMES } from '../../src/core/ems';
import { CodedError } from '../../src/core/errors';
import { ALLOWED_CMDLETS, isAllowedCmdlet, isMutating, validateCommand } from '../../src/exchange/validate';
import { ALL_SAMPLES } from './samples';

function refusal(input: unknown): CodedError {
  try {
    validateCommand(input);
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('validateCommand', () => {
  it('accepts every sample command and returns an equal copy', () => {
    for (const cmd of ALL_SAMPLES) {
      const valid = validateCommand(cmd);
      expect(valid).toEqual(cmd);
      expect(valid).not.toBe(cmd);
    }
  });

  it('accepts a command that came through JSON, as the relay agent receives it', () => {
    for (const cmd of ALL_SAMPLES) expect(validateCommand(JSON.parse(JSON.stringify(cmd)))).toEqual(cmd);
  });

  it('keeps the parameter order it was given', () => {
    const valid = validateCommand({
      cmdlet: 'Get-MailUser',
      params: { DomainController: 'dc', Identity: 'x' },
    });
    expect(Object.keys(valid.params)).toEqual(['DomainController', 'Identity']);
  });

  const long = 'x'.repeat(1025);
  it.each([
    ['not an object', 'Get-MailUser', 'BAD_SHAPE', 'A command must be an object'],
    ['a command with an extra key', { cmdlet: 'Get-MailUser', params: {}, run: true }, 'BAD_SHAPE', ''],
    ['params as an array', { cmdlet: 'Get-MailUser', params: ['x'] }, 'BAD_SHAPE', ''],
    [
      'a cmdlet outside the allowlist',
      { cmdlet: 'Remove-Mailbox', params: {} },
      'UNKNOWN_CMDLET',
      "Cmdlet 'Remove-Mailbox' is not in the allowlist.",
    ],
    [
      'a cmdlet in the wrong letter case',
      { cmdlet: 'get-mailuser', params: {} },
      'UNKNOWN_CMDLET',
      'did you mean Get-MailUser?',
    ],
    [
      'an unknown parameter',
      { cmdlet: 'Get-MailUser', params: { Filter: 'x' } },
      'UNKNOWN_PARAMETER',
      'Get-MailUser has no parameter -Filter.',
    ],
    [
      'a parameter in the wrong letter case',
      { cmdlet: 'Get-MailUser', params: { identity: 'x' } },
      'UNKNOWN_PARAMETER',
      'did you mean -Identity?',
    ],
    [
      'a __proto__ parameter',
      JSON.parse('{"cmdlet":"Get-MailUser","params":{"__proto__":"x"}}'),
      'UNKNOWN_PARAMETER',
      '-__proto__',
    ],
    [
      'a number for a string',
      { cmdlet: 'Get-MailUser', params: { Identity: 5 } },
      'BAD_VALUE',
      'Get-MailUser -Identity must be text.',
    ],
    [
      'a string for a bool',
      { cmdlet: 'Set-MailUser', params: { Identity: 'x', HiddenFromAddressListsEnabled: 'true' } },
      'BAD_VALUE',
      'must be $true or $false',
    ],
    [
      'a string for a switch',
      { cmdlet: 'Remove-PartnerApplication', params: { Identity: 'x', Confirm: 'no' } },
      'BAD_VALUE',
      'is a switch',
    ],
    [
      'a fraction for an int',
      { cmdlet: 'New-ExchangeCertificate', params: { KeySize: 20.5 } },
      'BAD_VALUE',
      'non-negative whole number',
    ],
    [
      'a negative int',
      { cmdlet: 'New-ExchangeCertificate', params: { KeySize: -1 } },
      'BAD_VALUE',
      'non-negative whole number',
    ],
    [
      'a non-ISO date',
      { cmdlet: 'Set-AuthConfig', params: { NewCertificateEffectiveDate: '4/17/2014' } },
      'BAD_VALUE',
      'ISO-8601',
    ],
    [
      'an impossible date',
      { cmdlet: 'Set-AuthConfig', params: { NewCertificateEffectiveDate: '2025-02-30' } },
      'BAD_VALUE',
      'ISO-8601',
    ],
    [
      'a string for a list',
      { cmdlet: 'New-ExchangeCertificate', params: { DomainName: 'a.com' } },
      'BAD_VALUE',
      'list of text values',
    ],
    [
      'a bad list item',
      { cmdlet: 'New-ExchangeCertificate', params: { DomainName: ['a', 'b\nc'] } },
      'BAD_VALUE',
      '-DomainName (item 1) contains a control',
    ],
    [
      'a newline',
      { cmdlet: 'Get-MailUser', params: { Identity: 'a\nb' } },
      'BAD_VALUE',
      'control or line-break character (U+000A)',
    ],
    ['a carriage return', { cmdlet: 'Get-MailUser', params: { Identity: 'a\rb' } }, 'BAD_VALUE', '(U+000D)'],
    ['a NUL', { cmdlet: 'Get-MailUser', params: { Identity: 'a\u0000b' } }, 'BAD_VALUE', '(U+0000)'],
    [
      'an escape character',
      { cmdlet: 'Get-MailUser', params: { Identity: '\u001b[31m' } },
      'BAD_VALUE',
      '(U+001B)',
    ],
    [
      'a next-line character',
      { cmdlet: 'Get-MailUser', params: { Identity: 'a\u0085b' } },
      'BAD_VALUE',
      '(U+0085)',
    ],
    [
      'a line separator',
      { cmdlet: 'Get-MailUser', params: { Identity: 'a\u2028b' } },
      'BAD_VALUE',
      '(U+2028)',
    ],
    [
      'an unpaired surrogate',
      { cmdlet: 'Get-MailUser', params: { Identity: 'a\ud800b' } },
      'BAD_VALUE',
      'unpaired',
    ],
    [
      'a string over 1024 characters',
      { cmdlet: 'Get-MailUser', params: { Identity: long } },
      'BAD_VALUE',
      'longer than 1024',
    ],
    [
      'a missing required parameter',
      { cmdlet: 'New-MailUser', params: { Name: 'x' } },
      'MISSING_PARAMETER',
      'New-MailUser needs -ExternalEmailAddress.',
    ],
    [
      'a partner app with neither id nor metadata URL',
      { cmdlet: 'New-PartnerApplication', params: { Name: 'x' } },
      'MISSING_PARAMETER',
      'needs -ApplicationIdentifier or -AuthMetadataUrl.',
    ],
    [
      'a partner app with both',
      {
        cmdlet: 'New-PartnerApplication',
        params: { Name: 'x', ApplicationIdentifier: 'a', AuthMetadataUrl: 'b' },
      },
      'CONFLICTING_PARAMETERS',
      'takes only one of',
    ],
    [
      'Set-AuthConfig with a parameter of each of two parameter sets',
      {
        cmdlet: 'Set-AuthConfig',
        params: { ClearPreviousCertificate: true, NewCertificateEffectiveDate: '2025-03-01' },
      },
      'CONFLICTING_PARAMETERS',
      "Set-AuthConfig can't take -ClearPreviousCertificate (PublishAuthCertificateParameter) and -NewCertificateEffectiveDate (NewCertificateParameter) together",
    ],
    [
      'an empty string for a mandatory parameter, in PowerShell’s words',
      { cmdlet: 'New-MailUser', params: { Name: '', ExternalEmailAddress: 'a@contoso.com' } },
      'BAD_VALUE',
      "New-MailUser: Cannot bind argument to parameter 'Name' because it is an empty string.",
    ],
    [
      'an empty item in a mandatory list',
      {
        cmdlet: 'New-IntraOrganizationConnector',
        params: { Name: 'x', DiscoveryEndpoint: 'https://x/', TargetAddressDomains: ['a.com', ''] },
      },
      'BAD_VALUE',
      "Cannot bind argument to parameter 'TargetAddressDomains' because it is an empty string.",
    ],
    [
      'an empty mandatory list',
      {
        cmdlet: 'New-IntraOrganizationConnector',
        params: { Name: 'x', DiscoveryEndpoint: 'https://x/', TargetAddressDomains: [] },
      },
      'BAD_VALUE',
      "Cannot bind argument to parameter 'TargetAddressDomains' because it is an empty array.",
    ],
    [
      'an empty string for a mandatory parameter of a few values, which the values refuse first',
      { cmdlet: 'Test-OAuthConnectivity', params: { Service: '', TargetUri: 'https://x/' } },
      'BAD_VALUE',
      "Test-OAuthConnectivity -Service accepts only 'EWS', 'AutoD', 'Generic' here, not ''.",
    ],
  ])('refuses %s', (_label, input, code, message) => {
    const error = refusal(input);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('accepts emoji, typographic quotes and PowerShell metacharacters, which rendering keeps literal', () => {
    const identity = "😀 ‘x’ “y” $(a) `b ; | & # <# @( '";
    expect(validateCommand({ cmdlet: 'Get-MailUser', params: { Identity: identity } }).params.Identity).toBe(
      identity,
    );
  });

  it('accepts an empty string for an optional parameter, as PowerShell does', () => {
    expect(validateCommand({ cmdlet: 'Get-MailUser', params: { Identity: '' } }).params.Identity).toBe('');
  });

  it('accepts a string of exactly 1024 characters', () => {
    const identity = 'x'.repeat(1024);
    expect(validateCommand({ cmdlet: 'Get-MailUser', params: { Identity: identity } }).params.Identity).toBe(
      identity,
    );
  });
});

describe('the allowlist', () => {
  it('holds exactly the cmdlets in CMDLET_NAMES', () => {
    expect([...ALLOWED_CMDLETS].sort()).toEqual([...CMDLET_NAMES].sort());
    expect(isAllowedCmdlet('Get-MailUser')).toBe(true);
    expect(isAllowedCmdlet('Invoke-Expression')).toBe(false);
  });

  it('marks New-, Set- and Remove- cmdlets as mutating and readers as not', () => {
    // The one exception: the Refresh form of Get-ExchangeDiagnosticInfo makes a server reload its overrides.
    const refresh = 'Get-ExchangeDiagnosticInfo';
    for (const cmdlet of CMDLET_NAMES.filter((name) => name !== refresh)) {
      expect(isMutating(cmdlet)).toBe(/^(New|Set|Remove)-/.test(cmdlet));
    }
    expect(isMutating(refresh)).toBe(true);
  });
});

describe('cmdlets restricted to the forms the procedures use', () => {
  const refresh = {
    Process: 'Microsoft.Exchange.Directory.TopologyService',
    Component: 'VariantConfiguration',
    Argument: 'Refresh',
  };
  const override = {
    Name: 'EnableExchangeHybrid3PAppFeature',
    Component: 'Global',
    Section: 'ExchangeOnpremAsThirdPartyAppId',
    Parameters: ['Enabled=true'],
    Reason: 'Created by hybridops',
  };

  it('accepts the Refresh form of Get-ExchangeDiagnosticInfo in any letter case, as PowerShell would', () => {
    const lower = { ...refresh, Argument: 'refresh', Server: 'EX02' };
    expect(validateCommand({ cmdlet: 'Get-ExchangeDiagnosticInfo', params: lower }).params).toEqual(lower);
  });

  it.each([
    ['another argument', { ...refresh, Argument: 'Overrides' }, "-Argument accepts only 'Refresh' here"],
    ['another process', { ...refresh, Process: 'MSExchangeTransport' }, '-Process accepts only'],
    ['another component', { ...refresh, Component: 'ProcessLocator' }, '-Component accepts only'],
  ])('refuses Get-ExchangeDiagnosticInfo with %s', (_label, params, message) => {
    const error = refusal({ cmdlet: 'Get-ExchangeDiagnosticInfo', params });
    expect(error.code).toBe('BAD_VALUE');
    expect(error.message).toContain(message);
  });

  it('refuses the diagnostic call without its argument, which would only read', () => {
    const { Argument: _argument, ...withoutArgument } = refresh;
    expect(refusal({ cmdlet: 'Get-ExchangeDiagnosticInfo', params: withoutArgument }).code).toBe(
      'MISSING_PARAMETER',
    );
  });

  it.each([
    ['another component', { ...override, Component: 'OwaServer' }, '-Component'],
    ['another section', { ...override, Section: 'IMSettings' }, '-Section'],
    ['other parameters', { ...override, Parameters: ['Enabled=true', 'IMServerName=x'] }, '-Parameters'],
  ])('refuses a setting override with %s', (_label, params, name) => {
    const error = refusal({ cmdlet: 'New-SettingOverride', params });
    expect(error.code).toBe('BAD_VALUE');
    expect(error.message).toContain(`New-SettingOverride ${name} accepts only`);
  });

  it('refuses a Test-OAuthConnectivity service the cmdlet does not know', () => {
    const error = refusal({
      cmdlet: 'Test-OAuthConnectivity',
      params: { Service: 'Graph', TargetUri: 'https://outlook.office365.com/' },
    });
    expect(error.message).toBe(
      "Test-OAuthConnectivity -Service accepts only 'EWS', 'AutoD', 'Generic' here, not 'Graph'.",
    );
  });

  it('refuses Set-AuthServer parameters from different parameter sets, and accepts the common ones with each', () => {
    const error = refusal({
      cmdlet: 'Set-AuthServer',
      params: { Identity: 'evoSTS', ApplicationIdentifier: 'x', AuthMetadataUrl: 'https://x/' },
    });
    expect(error.code).toBe('CONFLICTING_PARAMETERS');
    expect(error.message).toBe(
      "Set-AuthServer can't take -ApplicationIdentifier (AppSecret) and -AuthMetadataUrl (AuthMetadataUrl, NativeClientAuthServer) together: they belong to different parameter sets.",
    );
    expect(
      refusal({
        cmdlet: 'Set-AuthServer',
        params: { Identity: 'ACS', RefreshAuthMetadata: true, IsDefaultAuthorizationEndpoint: true },
      }).code,
    ).toBe('CONFLICTING_PARAMETERS');
    for (const params of [
      { Identity: 'evoSTS', ApplicationIdentifier: 'x', DomainName: ['a.com'], Enabled: true },
      { Identity: 'evoSTS', AuthMetadataUrl: 'https://x/', DomainName: ['a.com'], Name: 'n' },
      { Identity: 'evoSTS', AuthMetadataUrl: 'https://x/', IsDefaultAuthorizationEndpoint: false },
    ]) {
      expect(validateCommand({ cmdlet: 'Set-AuthServer', params }).params).toEqual(params);
    }
  });
});
