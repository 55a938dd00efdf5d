/**
 * A Graph step as an admin reads it: the exact request, then the Microsoft Graph PowerShell cmdlet they would type
 * (Update-MgServicePrincipal, New-MgApplication, …), with key bytes as bytes and the key elided only on cards.
 */
import type { KeyCredential } from '../../src/core/entra';
import { type GraphOperation, valueRef } from '../../src/core/plan';
import { keyCredentialsPatch, servicePrincipalPatch } from '../../src/engine/diff/operations';
import { graphScopes } from '../../src/engine/operations/graph-cmdlets';
import { renderGraphPowershell, renderOperation } from '../../src/engine/operations/render';

const SP = '5420fdf7-a357-4ef1-aea5-0c718e79e079';
const APP = 'b3f0c1a2-1111-4222-8333-944455556666';
const KEPT_BYTES = `MIIC${'A'.repeat(120)}xyz=`;
const KEPT: KeyCredential = {
  keyId: '0d6f3a8e-5c1b-4f7a-9e2d-7b8c9d0e1f2a',
  customKeyIdentifier: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  displayName: 'CN=Microsoft Exchange Server Auth Certificate',
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: KEPT_BYTES,
  startDateTime: '2026-01-01T00:00:00Z',
  endDateTime: '2031-01-01T00:00:00Z',
};
const graph = (
  method: GraphOperation['method'],
  path: GraphOperation['path'],
  body: GraphOperation['body'],
  bind?: string,
): GraphOperation =>
  bind ? { kind: 'graph', method, path, body, bind } : { kind: 'graph', method, path, body };

describe('Graph steps as Microsoft Graph PowerShell cmdlets', () => {
  it('uploads a key with Update-MgServicePrincipal -KeyCredentials: kept keys with their bytes, the new one from the export', () => {
    const op = keyCredentialsPatch(SP, [KEPT], 'authCertificate');
    expect(renderGraphPowershell(op)).toBe(
      `Update-MgServicePrincipal -ServicePrincipalId '${SP}' -KeyCredentials @(` +
        `@{Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = [System.Convert]::FromBase64String('${KEPT_BYTES}'); ` +
        `KeyId = '${KEPT.keyId}'; CustomKeyIdentifier = [System.Convert]::FromBase64String('${KEPT.customKeyIdentifier}'); ` +
        `DisplayName = 'CN=Microsoft Exchange Server Auth Certificate'}, ` +
        `@{Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $authCertificate.FileData})`,
    );
  });

  it('uploads to the application object with Update-MgApplication -ApplicationId', () => {
    const op = keyCredentialsPatch(APP, [], 'nextAuthCertificate', 'applications');
    expect(renderGraphPowershell(op)).toBe(
      `Update-MgApplication -ApplicationId '${APP}' -KeyCredentials @(@{Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $nextAuthCertificate.FileData})`,
    );
  });

  it('shows on a card the exact request and the cmdlet, each with the key elided', () => {
    const [request, cmdlet, ...rest] = renderOperation(keyCredentialsPatch(SP, [KEPT], 'authCertificate'), {
      elide: true,
    }).split('\n');
    expect(rest).toEqual([]);
    expect(request).toBe(
      `PATCH /v1.0/servicePrincipals/${SP} {"keyCredentials":[{"type":"AsymmetricX509Cert","usage":"Verify",` +
        `"key":"MIICAAAAAA…AAAAAAxyz=","keyId":"${KEPT.keyId}","customKeyIdentifier":"${KEPT.customKeyIdentifier}",` +
        `"displayName":"CN=Microsoft Exchange Server Auth Certificate"},` +
        `{"type":"AsymmetricX509Cert","usage":"Verify","key":$authCertificate.FileData}]}`,
    );
    expect(cmdlet).toMatch(/^Update-MgServicePrincipal -ServicePrincipalId '[^']+' -KeyCredentials @\(/);
    expect(cmdlet).toContain("Key = [System.Convert]::FromBase64String('MIICAAAAAA…AAAAAAxyz=')");
    expect(`${request}${cmdlet}`).not.toContain(KEPT_BYTES);
  });

  it('elides only key bytes: a long note is shown whole', () => {
    const notes =
      'Used by Exchange Server to call Exchange Online on behalf of the hybrid organization, as the script sets it.';
    const op = graph('POST', ['/applications'], { displayName: 'ExchangeServerApp-x', notes }, 'hybridApp');
    const text = renderOperation(op, { elide: true });
    expect(text).toContain(`"notes":${JSON.stringify(notes)}`);
    expect(text).toContain(`-Notes '${notes}'`);
  });

  it('writes the service principal names, tags and a new application, principal and consent as their cmdlets', () => {
    const principal = valueRef('hybridAppPrincipal', 'id');
    expect(
      renderGraphPowershell(
        servicePrincipalPatch(SP, { servicePrincipalNames: ['a', "https://mail.o'hare.com/"] }),
      ),
    ).toBe(
      `Update-MgServicePrincipal -ServicePrincipalId '${SP}' -ServicePrincipalNames @('a', 'https://mail.o''hare.com/')`,
    );
    expect(
      renderGraphPowershell(
        graph(
          'POST',
          ['/applications'],
          { displayName: 'ExchangeServerApp-x', signInAudience: 'AzureADMyOrg' },
          'hybridApp',
        ),
      ),
    ).toBe(
      "$hybridApp = New-MgApplication -DisplayName 'ExchangeServerApp-x' -SignInAudience 'AzureADMyOrg'",
    );
    expect(
      renderGraphPowershell(
        graph(
          'POST',
          ['/servicePrincipals'],
          { appId: valueRef('hybridApp', 'appId'), accountEnabled: true },
          'hybridAppPrincipal',
        ),
      ),
    ).toBe('$hybridAppPrincipal = New-MgServicePrincipal -AppId $hybridApp.appId -AccountEnabled');
    expect(
      renderGraphPowershell(
        graph('PATCH', ['/servicePrincipals/', principal], { tags: ['HideApp'], accountEnabled: false }),
      ),
    ).toBe(
      "Update-MgServicePrincipal -ServicePrincipalId $hybridAppPrincipal.id -Tags @('HideApp') -AccountEnabled:$false",
    );
    expect(
      renderGraphPowershell(
        graph('POST', ['/servicePrincipals/', principal, '/appRoleAssignments'], {
          principalId: principal,
          resourceId: SP,
          appRoleId: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
        }),
      ),
    ).toBe(
      `New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $hybridAppPrincipal.id -PrincipalId $hybridAppPrincipal.id -ResourceId '${SP}' -AppRoleId 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'`,
    );
    expect(
      renderGraphPowershell(
        graph('PATCH', ['/applications/', valueRef('hybridApp', 'id')], {
          requiredResourceAccess: [
            {
              resourceAppId: '00000002-0000-0ff1-ce00-000000000000',
              resourceAccess: [{ id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', type: 'Role' }],
            },
          ],
        }),
      ),
    ).toBe(
      "Update-MgApplication -ApplicationId $hybridApp.id -RequiredResourceAccess @(@{ResourceAppId = '00000002-0000-0ff1-ce00-000000000000'; ResourceAccess = @(@{Id = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'; Type = 'Role'})})",
    );
  });

  it('writes a deletion as its Remove-Mg cmdlet', () => {
    expect(renderGraphPowershell(graph('DELETE', [`/servicePrincipals/${SP}`], null))).toBe(
      `Remove-MgServicePrincipal -ServicePrincipalId '${SP}'`,
    );
    expect(
      renderGraphPowershell(graph('DELETE', ['/applications/', valueRef('hybridApp', 'id')], null)),
    ).toBe('Remove-MgApplication -ApplicationId $hybridApp.id');
    expect(
      renderGraphPowershell(graph('DELETE', [`/servicePrincipals/${SP}/appRoleAssignments/abc_1`], null)),
    ).toBe(
      `Remove-MgServicePrincipalAppRoleAssignment -ServicePrincipalId '${SP}' -AppRoleAssignmentId 'abc_1'`,
    );
  });

  it('keeps Invoke-MgGraphRequest where a cmdlet would not send the same request', () => {
    // Releases of the cmdlets have dropped an empty array from the body: emptying keyCredentials stays a raw request.
    expect(renderGraphPowershell(keyCredentialsPatch(SP, [], null))).toBe(
      `Invoke-MgGraphRequest -Method PATCH -Uri 'v1.0/servicePrincipals/${SP}' -Body @{'keyCredentials' = @()}`,
    );
    // A property the runbooks never send goes in -BodyParameter, exactly as given.
    expect(renderGraphPowershell(servicePrincipalPatch(SP, { description: 'x', tags: ['HideApp'] }))).toBe(
      `Update-MgServicePrincipal -ServicePrincipalId '${SP}' -BodyParameter @{description = 'x'; tags = @('HideApp')}`,
    );
    expect(
      renderGraphPowershell(graph('GET', [`/servicePrincipals/${SP}?$select=keyCredentials`], null)),
    ).toBe(`Invoke-MgGraphRequest -Method GET -Uri 'v1.0/servicePrincipals/${SP}?$select=keyCredentials'`);
  });

  it('asks Connect-MgGraph for AppRoleAssignment.ReadWrite.All only when a plan grants an app role', () => {
    expect(graphScopes([keyCredentialsPatch(SP, [], 'authCertificate')])).toEqual([
      'Application.ReadWrite.All',
    ]);
    const grant = graph('POST', ['/servicePrincipals/', valueRef('p', 'id'), '/appRoleAssignments'], {});
    expect(graphScopes([grant])).toEqual(['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']);
  });
});
