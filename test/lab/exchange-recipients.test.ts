import { errorOf, harness, outputOf } from './support';

const sfbAccount = {
  Name: 'SfBOnline-ApplicationAccount',
  ExternalEmailAddress: 'SfBOnline-ApplicationAccount@contoso.com',
  DomainController: 'dc01.contoso.com',
};

describe('mail users', () => {
  it('New-MailUser creates alias, GUID, DN and the external address, and outputs the new user', async () => {
    const lab = await harness();
    const [user] = outputOf(await lab.run('New-MailUser', sfbAccount));
    expect(user).toMatchObject({
      Name: 'SfBOnline-ApplicationAccount',
      Alias: 'SfBOnline-ApplicationAccount',
      Identity: 'contoso.com/Users/SfBOnline-ApplicationAccount',
      DistinguishedName: 'CN=SfBOnline-ApplicationAccount,CN=Users,DC=contoso,DC=com',
      ExternalEmailAddress: 'SMTP:SfBOnline-ApplicationAccount@contoso.com',
      HiddenFromAddressListsEnabled: false,
      WhenCreated: '2025-03-01T12:00:00Z',
    });
    expect(user?.Guid).toMatch(/^[0-9a-f-]{36}$/);
    expect(lab.state.org.mailUsers[0]?.applicationAccount).toBe(false);
  });

  it('records -ApplicationAccount on builds that have the switch', async () => {
    const lab = await harness();
    outputOf(await lab.run('New-MailUser', { ...sfbAccount, ApplicationAccount: true }));
    expect(lab.state.org.mailUsers[0]?.applicationAccount).toBe(true);
  });

  it('rejects -ApplicationAccount as an unknown parameter on builds without it, creating nothing', async () => {
    const lab = await harness({ rejectsApplicationAccount: true });
    const error = errorOf(await lab.run('New-MailUser', { ...sfbAccount, ApplicationAccount: true }));
    expect(error).toEqual({
      message: "A parameter cannot be found that matches parameter name 'ApplicationAccount'.",
      category: 'InvalidArgument',
      errorId: 'NamedParameterNotFound,New-MailUser',
    });
    expect(lab.state.org.mailUsers).toEqual([]);
  });

  it('refuses a second object with the same name', async () => {
    const lab = await harness();
    await lab.run('New-MailUser', sfbAccount);
    const error = errorOf(await lab.run('New-MailUser', sfbAccount));
    expect(error.message).toBe(
      'The name "SfBOnline-ApplicationAccount" is already being used. Please try another name.',
    );
    expect(error.errorId).toBe(
      'ADObjectAlreadyExistsException,Microsoft.Exchange.Management.RecipientTasks.NewMailUser',
    );
    expect(lab.state.org.mailUsers).toHaveLength(1);
  });

  it('resolves a user by name, alias, canonical identity, DN, GUID or primary SMTP address', async () => {
    const lab = await harness();
    const [created] = outputOf(await lab.run('New-MailUser', { ...sfbAccount, Alias: 'sfbapp' }));
    const identities = [
      'SfBOnline-ApplicationAccount',
      'sfbapp',
      'contoso.com/Users/SfBOnline-ApplicationAccount',
      'CN=SfBOnline-ApplicationAccount,CN=Users,DC=contoso,DC=com',
      String(created?.Guid),
      'sfbapp@contoso.com',
      'SFBAPP@CONTOSO.COM',
    ];
    for (const identity of identities) {
      const [found] = outputOf(await lab.run('Get-MailUser', { Identity: identity }));
      expect(found?.Guid).toBe(created?.Guid);
    }
  });

  it('derives a unique alias from a name with spaces', async () => {
    const lab = await harness();
    const [first] = outputOf(
      await lab.run('New-MailUser', { Name: 'Teams Scheduler', ExternalEmailAddress: 'a@contoso.com' }),
    );
    const [second] = outputOf(
      await lab.run('New-MailUser', {
        Name: 'Teams.Scheduler',
        ExternalEmailAddress: 'b@contoso.com',
        Alias: 'x',
      }),
    );
    const [third] = outputOf(
      await lab.run('New-MailUser', { Name: 'TeamsScheduler', ExternalEmailAddress: 'c@contoso.com' }),
    );
    expect(first?.Alias).toBe('TeamsScheduler');
    expect(second?.Alias).toBe('x');
    expect(third?.Alias).toBe('TeamsScheduler2');
  });

  it('lists all mail users without -Identity, even when there are none', async () => {
    const lab = await harness();
    expect(outputOf(await lab.run('Get-MailUser'))).toEqual([]);
    await lab.run('New-MailUser', sfbAccount);
    expect(outputOf(await lab.run('Get-MailUser')).map((u) => u.Name)).toEqual([
      'SfBOnline-ApplicationAccount',
    ]);
  });

  it('Set-MailUser hides the user from address lists, found by its canonical identity', async () => {
    const lab = await harness();
    await lab.run('New-MailUser', sfbAccount);
    const result = await lab.run('Set-MailUser', {
      Identity: 'contoso.com/Users/SfBOnline-ApplicationAccount',
      HiddenFromAddressListsEnabled: true,
      DomainController: 'dc01.contoso.com',
    });
    expect(outputOf(result)).toEqual([]);
    const [user] = outputOf(await lab.run('Get-MailUser', { Identity: 'SfBOnline-ApplicationAccount' }));
    expect(user?.HiddenFromAddressListsEnabled).toBe(true);
  });

  it('Set-MailUser on a missing user is the not-found error', async () => {
    const lab = await harness();
    const error = errorOf(
      await lab.run('Set-MailUser', { Identity: 'Ghost', HiddenFromAddressListsEnabled: true }),
    );
    expect(error.message).toBe(
      "The operation couldn't be performed because object 'Ghost' couldn't be found on 'dc01.contoso.com'.",
    );
  });
});
