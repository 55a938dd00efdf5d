import { loadLabSettings } from '../../src/config/lab-settings';
import { loadConfig, requireBotSettings, requireRelaySigningKey } from '../../src/config/load-config';
import { CodedError } from '../../src/core/errors';
import { labBotEnv } from '../../src/playground/identities';

describe('bot settings', () => {
  it('reads who may do what by Entra object id, lower-cased', () => {
    const settings = requireBotSettings(
      loadConfig({ ...labBotEnv(), HYBRIDOPS_APPROVERS: '00000000-0000-0000-0000-0000000000B1' }),
    );
    expect(settings.approvers).toEqual(['00000000-0000-0000-0000-0000000000b1']);
    expect(settings.approvalMinutes).toBe(30);
    expect(settings.port).toBe(3978);
  });

  it('names the variable to set when the admin channel is missing', () => {
    const { HYBRIDOPS_ADMIN_CHANNEL_ID: _omitted, ...env } = labBotEnv();
    expect(() => requireBotSettings(loadConfig(env))).toThrow('Set HYBRIDOPS_ADMIN_CHANNEL_ID');
  });

  it('refuses approvers given by name instead of object id', () => {
    expect(() => loadConfig({ ...labBotEnv(), HYBRIDOPS_APPROVERS: 'Lee Gu' })).toThrow(CodedError);
  });

  it('refuses a bot app id without its secret', () => {
    expect(() => requireBotSettings(loadConfig({ ...labBotEnv(), MICROSOFT_APP_ID: 'abc' }))).toThrow(
      'Set MICROSOFT_APP_PASSWORD',
    );
  });
});

describe('settings read outside the bot', () => {
  it('keeps the relay signing key beside the database unless HYBRIDOPS_RELAY_KEY names one', () => {
    expect(loadConfig({ HYBRIDOPS_DB: '/var/lib/hybridops/bot.db' }).relaySigningKeyPath).toBe(
      '/var/lib/hybridops/relay-signing-key.pem',
    );
    expect(
      loadConfig({ HYBRIDOPS_DB: '/var/lib/hybridops/bot.db', HYBRIDOPS_RELAY_KEY: '/etc/hybridops/key.pem' })
        .relaySigningKeyPath,
    ).toBe('/etc/hybridops/key.pem');
  });

  it('asks for HYBRIDOPS_RELAY_KEY when the database is PostgreSQL, which has no folder to keep the key in', () => {
    const onPostgres = loadConfig({ HYBRIDOPS_DB: 'postgres://hybridops@db.contoso.com/hybridops' });
    expect(() => requireRelaySigningKey(onPostgres)).toThrow(
      'Set HYBRIDOPS_RELAY_KEY to the path of the relay signing key (PEM)',
    );
    const named = loadConfig({
      HYBRIDOPS_DB: 'postgresql://hybridops@db.contoso.com/hybridops',
      HYBRIDOPS_RELAY_KEY: '/etc/hybridops/key.pem',
    });
    expect(requireRelaySigningKey(named)).toBe('/etc/hybridops/key.pem');
    expect(requireRelaySigningKey(loadConfig({ HYBRIDOPS_DB: '/var/lib/hybridops/bot.db' }))).toBe(
      '/var/lib/hybridops/relay-signing-key.pem',
    );
  });

  it('reads the lab folder, the signed-in person and the playground port, with defaults', () => {
    expect(loadLabSettings({})).toMatchObject({ user: 0, playgroundPort: 56150 });
    expect(loadLabSettings({ HYBRIDOPS_LAB_DIR: '/tmp/lab', HYBRIDOPS_LAB_USER: '2' })).toMatchObject({
      dir: '/tmp/lab',
      user: 2,
    });
  });

  it('names the lab variable to fix', () => {
    expect(() => loadLabSettings({ HYBRIDOPS_LAB_USER: 'Lee' })).toThrow('Set HYBRIDOPS_LAB_USER');
    expect(() => loadLabSettings({ HYBRIDOPS_PLAYGROUND_PORT: '70000' })).toThrow(
      'Set HYBRIDOPS_PLAYGROUND_PORT',
    );
  });
});
