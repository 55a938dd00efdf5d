import { decodeJwt } from '../../src/verify/token/decode-jwt';
import {
  formatInspection,
  type InspectOutcome,
  inspectToken,
  type TokenInspection,
} from '../../src/verify/token/inspect-token';

const TENANT = '11111111-2222-3333-4444-555555555555';
const NOW = new Date('2026-11-21T12:00:00Z');
const EXCHANGE_AUD = `00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@${TENANT}`;
const seconds = (iso: string) => Date.parse(iso) / 1000;

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token as captured on the wire: unsigned S2S outer tokens end with a dot, signed ones carry a signature. */
function jwt(payload: Record<string, unknown>, signature = 'c2lnbmF0dXJl'): string {
  return `${part({ alg: signature ? 'RS256' : 'none', typ: 'JWT' })}.${part(payload)}.${signature}`;
}

function token(outcome: InspectOutcome): TokenInspection {
  if (outcome.kind !== 'token') throw new Error(outcome.message);
  return outcome;
}

const inspect = (input: string) => inspectToken(input, { now: NOW, tenantId: TENANT, domain: 'contoso.com' });

describe('the token inspector', () => {
  it.each([
    ['7557eb47-c689-4224-abcf-aef9bd7573df', 'Teams Calendar Scheduler Service'],
    ['db7de2b5-2149-435e-8043-e080dd50afae', 'Cloud Voicemail'],
    ['00000004-0000-0ff1-ce00-000000000000', 'Skype for Business Online (legacy first-party app)'],
    [
      '00000002-0000-0ff1-ce00-000000000000',
      'Exchange (Online or on-premises, as Office 365 Exchange Online)',
    ],
    ['00000001-0000-0000-c000-000000000000', 'Azure Access Control Service (ACS)'],
  ])('names %s as %s when it issued the token', (appId, name) => {
    const result = token(
      inspect(jwt({ iss: `${appId}@${TENANT}`, aud: EXCHANGE_AUD, exp: seconds('2026-11-21T13:00:00Z') })),
    );
    expect(result.issuer?.appName).toBe(name);
    expect(result.realmIsTenant).toBe(true);
    expect(result.findings).toEqual([]);
  });

  it('reads the issuer written with a leading slash', () => {
    const result = token(
      inspect(jwt({ iss: `/7557eb47-c689-4224-abcf-aef9bd7573df@${TENANT}`, aud: EXCHANGE_AUD })),
    );
    expect(result.issuer).toMatchObject({
      appId: '7557eb47-c689-4224-abcf-aef9bd7573df',
      leadingSlash: true,
      realm: TENANT,
    });
    expect(formatInspection(result)).toMatch(
      /^Issued by Teams Calendar Scheduler Service .* \(written with a leading \/\), the tenant\./,
    );
  });

  it('accepts a whole Authorization header', () => {
    const header = `Authorization: Bearer ${jwt({ iss: `db7de2b5-2149-435e-8043-e080dd50afae@${TENANT}`, aud: EXCHANGE_AUD })}`;
    expect(token(inspect(header)).issuer?.appId).toBe('db7de2b5-2149-435e-8043-e080dd50afae');
  });

  it('says when the realm is not the tenant', () => {
    const other = '99999999-2222-3333-4444-555555555555';
    const result = token(
      inspect(jwt({ iss: `7557eb47-c689-4224-abcf-aef9bd7573df@${other}`, aud: EXCHANGE_AUD })),
    );
    expect(result.realmIsTenant).toBe(false);
    expect(result.findings).toContain(`The issuer's realm ${other} is not the tenant ${TENANT}.`);
  });

  it('checks the audience form and whether its host belongs to the org', () => {
    const good = token(
      inspect(jwt({ iss: `7557eb47-c689-4224-abcf-aef9bd7573df@${TENANT}`, aud: EXCHANGE_AUD })),
    );
    expect(good.audience).toMatchObject({
      exchangeForm: true,
      host: 'mail.contoso.com',
      hostKnown: true,
      realm: TENANT,
    });
    const stranger = token(
      inspect(
        jwt({
          iss: `7557eb47-c689-4224-abcf-aef9bd7573df@${TENANT}`,
          aud: `00000002-0000-0ff1-ce00-000000000000/mail.fabrikam.com@${TENANT}`,
        }),
      ),
    );
    expect(stranger.findings).toContain(
      "The audience host mail.fabrikam.com is not one of this org's Exchange hosts.",
    );
    const graph = token(
      inspect(
        jwt({ iss: `7557eb47-c689-4224-abcf-aef9bd7573df@${TENANT}`, aud: 'https://graph.microsoft.com' }),
      ),
    );
    expect(graph.audience.exchangeForm).toBe(false);
  });

  it('reports the expiry and says when it has passed', () => {
    const result = token(
      inspect(
        jwt({
          iss: `7557eb47-c689-4224-abcf-aef9bd7573df@${TENANT}`,
          aud: EXCHANGE_AUD,
          exp: seconds('2026-11-21T11:00:00Z'),
        }),
      ),
    );
    expect(result).toMatchObject({ expiresAt: '2026-11-21T11:00:00.000Z', expired: true });
    expect(result.findings).toContain('The token expired at 2026-11-21T11:00:00.000Z.');
  });

  it("reads an actor token's inner issuer and the app it speaks for", () => {
    const actor = jwt({
      iss: `00000001-0000-0000-c000-000000000000@${TENANT}`,
      nameid: `db7de2b5-2149-435e-8043-e080dd50afae@${TENANT}`,
    });
    const outer = jwt(
      { iss: `db7de2b5-2149-435e-8043-e080dd50afae@${TENANT}`, aud: EXCHANGE_AUD, actortoken: actor },
      '',
    );
    const result = token(inspect(outer));
    expect(result.algorithm).toBe('none');
    expect(result.actor?.issuer?.appName).toBe('Azure Access Control Service (ACS)');
    expect(result.actor?.nameId?.appName).toBe('Cloud Voicemail');
    expect(formatInspection(result)).toContain('Actor token issued by Azure Access Control Service (ACS)');
  });

  it.each([
    ['', 'No token given: paste the JWT or the whole Authorization header.'],
    [
      'hello world',
      'That is not a JWT: expected three parts separated by dots (header.payload.signature), found 1.',
    ],
    ['a.b', 'That is not a JWT: expected three parts separated by dots (header.payload.signature), found 2.'],
    ['!!!.e30.x', 'That is not a JWT: its header (first part) is not base64url text.'],
    [
      `${part({ alg: 'none' })}.bm90IGpzb24.`,
      'That is not a JWT: its payload (second part) does not decode to JSON.',
    ],
    [
      `${part({ alg: 'none' })}.${part([1, 2])}.`,
      'That is not a JWT: its payload (second part) is not a JSON object.',
    ],
    ['bm90IGpzb24.e30.', 'That is not a JWT: its header (first part) does not decode to a JSON object.'],
    [
      'a.b.c.d.e',
      'That is not a JWT: expected three parts separated by dots (header.payload.signature), found 5.',
    ],
  ])('answers garbage %j with one clear sentence', (input, message) => {
    expect(inspect(input)).toEqual({ kind: 'malformed', message });
  });

  it('flags a malformed actor token instead of failing', () => {
    const result = token(
      inspect(
        jwt({
          iss: `db7de2b5-2149-435e-8043-e080dd50afae@${TENANT}`,
          aud: EXCHANGE_AUD,
          actortoken: 'garbage',
        }),
      ),
    );
    expect(result.findings).toContain(
      'The actortoken is malformed: That is not a JWT: expected three parts separated by dots (header.payload.signature), found 1.',
    );
  });

  it('never verifies a signature: a forged token decodes the same', () => {
    const decoded = decodeJwt(jwt({ iss: 'x' }, 'forged'));
    expect(decoded.ok && decoded.jwt.signed).toBe(true);
  });
});
