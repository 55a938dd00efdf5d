import { labBotEnv } from '../../src/bot/playground/identities';
import { loadConfig, requireBotSettings } from '../../src/config/load-config';
import { CodedError } from '../../src/core/errors';

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
