import { errorOf, harness, outputOf, T0 } from './support';

const SERVERS = [
  { name: 'EX01' },
  { name: 'EX02', build: '15.1.2507.55' },
  { name: 'EX03', build: '15.2.1544.25', site: 'Branch' },
  { name: 'EDGE01', role: 'Edge' as const },
];
const HOURS = 3_600_000;

describe('the servers of the org', () => {
  it('lists each server with its role, site and the CU its AdminDisplayVersion names', async () => {
    const lab = await harness({ servers: SERVERS });
    const servers = outputOf(await lab.run('Get-ExchangeServer'));
    expect(servers.map((s) => [s.Name, s.ServerRole, s.AdminDisplayVersion, s.Site])).toEqual([
      [
        'EX01',
        'Mailbox',
        'Version 15.2 (Build 1748.10)',
        'contoso.com/Configuration/Sites/Default-First-Site-Name',
      ],
      [
        'EX02',
        'Mailbox',
        'Version 15.1 (Build 2507.6)',
        'contoso.com/Configuration/Sites/Default-First-Site-Name',
      ],
      ['EX03', 'Mailbox', 'Version 15.2 (Build 1544.4)', 'contoso.com/Configuration/Sites/Branch'],
      [
        'EDGE01',
        'Edge',
        'Version 15.2 (Build 1748.10)',
        'contoso.com/Configuration/Sites/Default-First-Site-Name',
      ],
    ]);
    expect(lab.state.org.servers.map((s) => s.exSetupVersion)).toEqual([
      '15.02.1748.024',
      '15.01.2507.055',
      '15.02.1544.025',
      '15.02.1748.024',
    ]);
    expect(outputOf(await lab.run('Get-ExchangeServer', { Identity: 'ex02.contoso.com' }))[0]?.Name).toBe(
      'EX02',
    );
    expect(errorOf(await lab.run('Get-ExchangeServer', { Identity: 'EX09' })).message).toBe(
      "The operation couldn't be performed because object 'EX09' couldn't be found on 'dc01.contoso.com'.",
    );
  });

  it('names the organization by its GUID and lists the accepted domains with the coexistence domain', async () => {
    const lab = await harness({ organizationGuid: '0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70' });
    expect(outputOf(await lab.run('Get-OrganizationConfig'))[0]).toMatchObject({
      Name: 'contoso',
      Guid: '0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70',
    });
    const domains = outputOf(await lab.run('Get-AcceptedDomain'));
    expect(domains.map((d) => [d.DomainName, d.Default])).toEqual([
      ['contoso.com', true],
      ['contoso.mail.onmicrosoft.com', false],
    ]);
  });
});

describe('certificate stores', () => {
  it("keeps a new certificate in the store of the server it was made on, with Exchange's RPC error elsewhere", async () => {
    const lab = await harness({ servers: SERVERS });
    const [cert] = outputOf(await lab.run('New-ExchangeCertificate', { Server: 'EX02' }));
    const thumbprint = String(cert?.Thumbprint);
    expect(
      outputOf(await lab.run('Get-ExchangeCertificate', { Thumbprint: thumbprint, Server: 'EX02' })),
    ).toHaveLength(1);
    const error = errorOf(
      await lab.run('Get-ExchangeCertificate', { Thumbprint: thumbprint, Server: 'EX01' }),
    );
    expect(error.message).toBe(
      `A special Rpc error occurs on server EX01: The certificate with thumbprint ${thumbprint} was not found.`,
    );
    expect(error.errorId).toMatch(/^InvalidOperationException,/);
    expect(outputOf(await lab.run('Get-ExchangeCertificate')).map((c) => c.Thumbprint)).not.toContain(
      thumbprint,
    );
  });

  it('copies a staged auth certificate to the Mailbox servers of its site only', async () => {
    const lab = await harness({ servers: SERVERS });
    const [cert] = outputOf(await lab.run('New-ExchangeCertificate', {}));
    const thumbprint = String(cert?.Thumbprint);
    outputOf(
      await lab.run('Set-AuthConfig', {
        NewCertificateThumbprint: thumbprint,
        NewCertificateEffectiveDate: '2025-03-03T12:00:00Z',
      }),
    );
    await lab.run('Get-AuthConfig');
    const holders = lab.state.org.servers
      .filter((s) => s.certificates.includes(thumbprint))
      .map((s) => s.name);
    expect(holders).toEqual(['EX01', 'EX02']);
  });

  it('answers nothing from a server that is offline', async () => {
    const lab = await harness({ servers: [{ name: 'EX01' }, { name: 'EX02', online: false }] });
    expect(errorOf(await lab.run('Get-ExchangeCertificate', { Server: 'EX02' })).message).toBe(
      'A special Rpc error occurs on server EX02: The RPC server is unavailable.',
    );
  });
});

describe('the AuthAdmin servicelet', () => {
  async function staged(effective: Date) {
    const lab = await harness();
    const original = lab.state.org.authConfig.currentCertificateThumbprint;
    const [cert] = outputOf(await lab.run('New-ExchangeCertificate', {}));
    outputOf(
      await lab.run('Set-AuthConfig', {
        NewCertificateThumbprint: String(cert?.Thumbprint),
        NewCertificateEffectiveDate: effective.toISOString(),
      }),
    );
    return { lab, original, next: String(cert?.Thumbprint) };
  }

  it('publishes the staged certificate at its first run (06:00 or 18:00 UTC) on or after the effective date', async () => {
    const { lab, original, next } = await staged(new Date(T0.getTime() + 48 * HOURS));
    lab.clock.set(new Date(T0.getTime() + 48 * HOURS));
    await lab.run('Get-AuthConfig');
    expect(lab.state.org.authConfig.nextCertificateThumbprint).toBe(next);
    lab.clock.set(new Date(T0.getTime() + 54 * HOURS));
    expect(outputOf(await lab.run('Get-AuthConfig'))[0]).toMatchObject({
      CurrentCertificateThumbprint: next,
      PreviousCertificateThumbprint: original,
      NextCertificateThumbprint: null,
      NextCertificateEffectiveDate: null,
    });
  });

  it('waits for the next run when the effective date was already past when the certificate was staged', async () => {
    const { lab, next } = await staged(new Date(T0.getTime() - 7 * HOURS));
    lab.clock.set(new Date(T0.getTime() + 5 * HOURS));
    await lab.run('Get-AuthConfig');
    expect(lab.state.org.authConfig.nextCertificateThumbprint).toBe(next);
    lab.clock.set(new Date(T0.getTime() + 6 * HOURS));
    await lab.run('Get-AuthConfig');
    expect(lab.state.org.authConfig.currentCertificateThumbprint).toBe(next);
  });
});
