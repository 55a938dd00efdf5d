/**
 * The Graph PowerShell an admin pastes does what the bot does: each cmdlet line, run in a real shell against
 * stand-ins with the Microsoft.Graph.Applications parameters, asks for the same request (method, path, body with
 * the same key bytes) that the engine sends for that operation.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { KeyCredential } from '../../src/core/entra';
import type { GraphOperation } from '../../src/core/plan';
import { keyCredentialsPatch, servicePrincipalPatch } from '../../src/engine/diff/operations';
import { renderGraphPowershell } from '../../src/engine/operations/render';
import { type BoundValues, graphRequestOf } from '../../src/engine/operations/values';
import { planDedicatedAppFromNothing } from '../support/lab-org';
import { describeWithShell, runScript } from '../support/pwsh';

const STUBS = path.join(__dirname, 'fixtures', 'Mg-Cmdlet-Stubs.ps1');
const SP = '5420fdf7-a357-4ef1-aea5-0c718e79e079';
const CERTIFICATE = randomBytes(700).toString('base64');
const KEPT: KeyCredential = {
  keyId: '0d6f3a8e-5c1b-4f7a-9e2d-7b8c9d0e1f2a',
  customKeyIdentifier: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  displayName: "CN=O'Brien Auth Certificate",
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: randomBytes(600).toString('base64'),
  startDateTime: '2026-01-01T00:00:00Z',
  endDateTime: '2031-01-01T00:00:00Z',
};
// What the runs bind: the exported certificate's bytes (base64 from the agent, byte[] in the shell) and the ids
// the stand-ins answer with.
const VALUES: BoundValues = new Map<string, Record<string, unknown>>([
  ['authCertificate', { FileData: CERTIFICATE }],
  ['hybridApp', { id: 'app-object-id', appId: 'app-id' }],
  ['hybridAppPrincipal', { id: 'sp-object-id' }],
]);

async function sentByShell(ops: readonly GraphOperation[]): Promise<unknown[]> {
  const script = [
    `. '${STUBS.replace(/'/g, "''")}'`,
    `$authCertificate = [pscustomobject]@{ FileData = [System.Convert]::FromBase64String('${CERTIFICATE}') }`,
    ...ops.map((op) => renderGraphPowershell(op)),
    'ConvertTo-Json -InputObject $script:MgRequests.ToArray() -Depth 10 -Compress',
  ].join('\n');
  const run = await runScript(script);
  if (run.code !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as unknown[];
}

describeWithShell('Graph PowerShell of a plan, run in a shell', () => {
  it('asks for the same keyCredentials PATCH the bot sends: kept keys with their bytes, the new key from the export', async () => {
    const ops = [
      keyCredentialsPatch(SP, [KEPT], 'authCertificate'),
      keyCredentialsPatch('app-object-id', [], 'authCertificate', 'applications'),
      servicePrincipalPatch(SP, { servicePrincipalNames: ['https://mail.contoso.com/'] }),
      // A property no runbook sends today goes in -BodyParameter, and still asks for the same request.
      servicePrincipalPatch(SP, { description: "O'Brien's", tags: ['HideApp'] }),
    ];
    expect(await sentByShell(ops)).toEqual(ops.map((op) => graphRequestOf(op, VALUES)));
  }, 60_000);

  it('asks for the same requests as the dedicated hybrid application plan: application, principal, tags, permission, consent, key', async () => {
    const plan = await planDedicatedAppFromNothing();
    const ops = plan.steps
      .flatMap((step) => step.operations)
      .filter((op): op is GraphOperation => op.kind === 'graph');
    expect(
      ops.map(
        (op) =>
          renderGraphPowershell(op)
            .replace(/^\$\w+ = /, '')
            .split(' ')[0],
      ),
    ).toEqual([
      'New-MgApplication',
      'New-MgServicePrincipal',
      'Update-MgServicePrincipal',
      'Update-MgApplication',
      'New-MgServicePrincipalAppRoleAssignment',
      'Update-MgApplication',
    ]);
    expect(await sentByShell(ops)).toEqual(ops.map((op) => graphRequestOf(op, VALUES)));
  }, 60_000);
});
