import { createHash } from 'node:crypto';
import { errorOf, harness, outputOf } from './support';

const EXO_EWS = 'https://outlook.office365.com/ews/exchange.asmx';

describe('the auth configuration', () => {
  it('publishes a new certificate: next becomes current and current becomes previous, then clears previous', async () => {
    const lab = await harness();
    const original = lab.state.org.authConfig.currentCertificateThumbprint;
    const [cert] = outputOf(
      await lab.run('New-ExchangeCertificate', {
        KeySize: 2048,
        PrivateKeyExportable: true,
        SubjectName: 'cn=Microsoft Exchange Server Auth Certificate',
        FriendlyName: 'Microsoft Exchange Server Auth Certificate',
        DomainName: [],
      }),
    );
    const thumbprint = String(cert?.Thumbprint);
    outputOf(
      await lab.run('Set-AuthConfig', {
        NewCertificateThumbprint: thumbprint,
        NewCertificateEffectiveDate: '2025-03-01T12:00:00Z',
      }),
    );
    expect(outputOf(await lab.run('Get-AuthConfig'))[0]).toMatchObject({
      CurrentCertificateThumbprint: original,
      NextCertificateThumbprint: thumbprint,
      NextCertificateEffectiveDate: '2025-03-01T12:00:00Z',
    });

    outputOf(await lab.run('Set-AuthConfig', { PublishCertificate: true }));
    expect(outputOf(await lab.run('Get-AuthConfig'))[0]).toMatchObject({
      CurrentCertificateThumbprint: thumbprint,
      PreviousCertificateThumbprint: original,
      NextCertificateThumbprint: null,
      NextCertificateEffectiveDate: null,
    });

    outputOf(await lab.run('Set-AuthConfig', { ClearPreviousCertificate: true }));
    expect(lab.state.org.authConfig.previousCertificateThumbprint).toBeNull();
  });

  it('will not publish a certificate before its effective date', async () => {
    const lab = await harness();
    const [cert] = outputOf(await lab.run('New-ExchangeCertificate', {}));
    await lab.run('Set-AuthConfig', {
      NewCertificateThumbprint: String(cert?.Thumbprint),
      NewCertificateEffectiveDate: '2025-03-03T12:00:00Z',
    });
    const error = errorOf(await lab.run('Set-AuthConfig', { PublishCertificate: true }));
    expect(error.message).toContain("can't be published before its effective date 2025-03-03T12:00:00Z");
    lab.clock.set(new Date('2025-03-03T12:00:01Z'));
    outputOf(await lab.run('Set-AuthConfig', { PublishCertificate: true }));
    expect(lab.state.org.authConfig.currentCertificateThumbprint).toBe(cert?.Thumbprint);
  });

  it('refuses a new certificate thumbprint that is not in the store', async () => {
    const lab = await harness();
    const error = errorOf(await lab.run('Set-AuthConfig', { NewCertificateThumbprint: 'ABCDEF' }));
    expect(error.message).toBe('The certificate with thumbprint ABCDEF was not found.');
    expect(lab.state.org.authConfig.nextCertificateThumbprint).toBeNull();
  });
});

describe('certificates', () => {
  it('New-ExchangeCertificate makes a real certificate valid for five years with its private key', async () => {
    const lab = await harness();
    const [cert] = outputOf(await lab.run('New-ExchangeCertificate', { Services: 'SMTP' }));
    expect(cert).toMatchObject({
      Subject: 'CN=Microsoft Exchange Server Auth Certificate',
      NotBefore: '2025-03-01T12:00:00Z',
      NotAfter: '2030-03-01T12:00:00Z',
      Services: 'SMTP',
      Status: 'Valid',
      HasPrivateKey: true,
    });
    expect(lab.state.org.certificates).toHaveLength(2);
  });

  it('exports the DER bytes, base64, with -BinaryEncoded', async () => {
    const lab = await harness();
    const thumbprint = lab.state.org.authConfig.currentCertificateThumbprint;
    const [file] = outputOf(
      await lab.run('Export-ExchangeCertificate', { Thumbprint: thumbprint, BinaryEncoded: true }),
    );
    const der = Buffer.from(String(file?.FileData), 'base64');
    expect(createHash('sha1').update(der).digest('hex').toUpperCase()).toBe(thumbprint);
  });

  it('shows an expired certificate as DateInvalid', async () => {
    const lab = await harness({ certDays: 10 });
    const thumbprint = lab.state.org.authConfig.currentCertificateThumbprint;
    lab.clock.set(new Date('2025-04-01T00:00:00Z'));
    expect(outputOf(await lab.run('Get-ExchangeCertificate', { Thumbprint: thumbprint }))[0]?.Status).toBe(
      'DateInvalid',
    );
  });
});

describe('Test-OAuthConnectivity', () => {
  const test = { Service: 'EWS', TargetUri: EXO_EWS, Mailbox: 'AdeleV@contoso.com' };

  it('succeeds when the hybrid OAuth prerequisites are in place', async () => {
    // Before 2025-10-31, with the key on the shared principal as the wizard uploads it.
    const lab = await harness({ sharedPrincipalKey: true });
    const [result] = outputOf(await lab.run('Test-OAuthConnectivity', test));
    expect(result).toMatchObject({
      ResultType: 'Success',
      Identity: 'Microsoft.Exchange.Security.OAuth.ValidationResultNodeId',
      IsValid: true,
    });
  });

  it('fails when the Exchange Online partner application is disabled', async () => {
    const lab = await harness();
    await lab.run('Set-PartnerApplication', { Identity: 'Exchange Online', Enabled: false });
    const [result] = outputOf(await lab.run('Test-OAuthConnectivity', test));
    expect(result?.ResultType).toBe('Error');
    expect(result?.Detail).toContain('is disabled');
  });

  it('fails when there is no evoSTS or ACS auth server', async () => {
    const lab = await harness();
    lab.state.org.authServers = [];
    const [result] = outputOf(await lab.run('Test-OAuthConnectivity', test));
    expect(result?.ResultType).toBe('Error');
    expect(result?.Detail).toContain('No enabled authorization server');
  });

  it('fails when the current auth certificate has expired', async () => {
    const lab = await harness({ certDays: 10 });
    lab.clock.set(new Date('2025-04-01T00:00:00Z'));
    const [result] = outputOf(await lab.run('Test-OAuthConnectivity', test));
    expect(result?.ResultType).toBe('Error');
    expect(result?.Detail).toContain('is not valid at this time');
  });

  it('reports an unknown mailbox as not found', async () => {
    const lab = await harness();
    expect(
      errorOf(await lab.run('Test-OAuthConnectivity', { ...test, Mailbox: 'nobody@contoso.com' })).message,
    ).toContain("object 'nobody@contoso.com' couldn't be found");
  });
});

describe('Get-MailboxAutoReplyConfiguration', () => {
  it('returns the Out of Office settings of the test mailbox by address or name', async () => {
    const lab = await harness();
    for (const identity of ['AdeleV@contoso.com', 'Adele Vance']) {
      const [config] = outputOf(await lab.run('Get-MailboxAutoReplyConfiguration', { Identity: identity }));
      expect(config).toMatchObject({ Identity: 'contoso.com/Users/Adele Vance', AutoReplyState: 'Enabled' });
    }
  });
});
