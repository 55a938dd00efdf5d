import { BUILT_IN_ROLE_ENTRIES } from '../../src/lab/builtins';
import { errorOf, harness, outputOf } from './support';

const DC = 'dc01.contoso.com';

async function withSchedulerAccount() {
  const lab = await harness();
  outputOf(
    await lab.run('New-MailUser', {
      Name: 'TeamsScheduler',
      ApplicationAccount: true,
      ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
      DomainController: DC,
    }),
  );
  return lab;
}

describe('management roles', () => {
  it('a new role starts with all of its parent entries', async () => {
    const lab = await harness();
    const [role] = outputOf(
      await lab.run('New-ManagementRole', {
        Name: 'TeamsSchedulerRole',
        Parent: 'UserApplication',
        DomainController: DC,
      }),
    );
    expect(role).toMatchObject({
      Name: 'TeamsSchedulerRole',
      Parent: 'UserApplication',
      IsRootRole: false,
      RoleType: 'UserApplication',
    });
    const entries = outputOf(await lab.run('Get-ManagementRoleEntry', { Identity: 'TeamsSchedulerRole\\*' }));
    expect(entries.map((e) => e.Name)).toEqual(BUILT_IN_ROLE_ENTRIES.UserApplication);
    expect(entries[0]).toMatchObject({
      Role: 'TeamsSchedulerRole',
      Identity: `TeamsSchedulerRole\\${entries[0]?.Name}`,
    });
  });

  it('trims a custom role down to GetDelegate, the runbook step', async () => {
    const lab = await harness();
    await lab.run('New-ManagementRole', { Name: 'TeamsApp', Parent: 'UserApplication' });
    const entries = outputOf(
      await lab.run('Get-ManagementRoleEntry', { Identity: 'TeamsApp\\*', DomainController: DC }),
    );
    for (const entry of entries.filter((e) => e.Name !== 'GetDelegate')) {
      outputOf(
        await lab.run('Remove-ManagementRoleEntry', {
          Identity: String(entry.Identity),
          Confirm: false,
          DomainController: DC,
        }),
      );
    }
    const left = outputOf(await lab.run('Get-ManagementRoleEntry', { Identity: 'TeamsApp\\*' }));
    expect(left.map((e) => e.Identity)).toEqual(['TeamsApp\\GetDelegate']);
    expect(
      outputOf(await lab.run('Get-ManagementRoleEntry', { Identity: 'TeamsApp\\GetDelegate' })),
    ).toHaveLength(1);
  });

  it('refuses to remove an entry from a built-in role', async () => {
    const lab = await harness();
    const error = errorOf(
      await lab.run('Remove-ManagementRoleEntry', {
        Identity: 'UserApplication\\AddDelegate',
        Confirm: false,
      }),
    );
    expect(error.message).toContain("You can't remove role entries from built-in management roles.");
    expect(error.category).toBe('InvalidOperation');
    expect(lab.state.org.managementRoles.find((r) => r.name === 'UserApplication')?.entries).toContain(
      'AddDelegate',
    );
  });

  it('reports a missing parent, role or entry with the not-found error', async () => {
    const lab = await harness();
    expect(errorOf(await lab.run('New-ManagementRole', { Name: 'X', Parent: 'NoSuchRole' })).message).toBe(
      "The operation couldn't be performed because object 'NoSuchRole' couldn't be found on 'dc01.contoso.com'.",
    );
    expect(
      errorOf(await lab.run('Get-ManagementRoleEntry', { Identity: 'UserApplication\\Nope' })).message,
    ).toBe(
      "The operation couldn't be performed because object 'UserApplication\\Nope' couldn't be found on 'dc01.contoso.com'.",
    );
    expect(errorOf(await lab.run('Get-ManagementRole', { Identity: 'TeamsApp' })).message).toContain(
      "object 'TeamsApp'",
    );
  });

  it('refuses a second role with the same name', async () => {
    const lab = await harness();
    await lab.run('New-ManagementRole', { Name: 'TeamsApp', Parent: 'UserApplication' });
    expect(
      errorOf(await lab.run('New-ManagementRole', { Name: 'teamsapp', Parent: 'UserApplication' })).message,
    ).toBe('The name "teamsapp" is already being used. Please try another name.');
  });
});

describe('role assignments', () => {
  it('assigns a role to a user under an Exchange-generated name', async () => {
    const lab = await withSchedulerAccount();
    await lab.run('New-ManagementRole', { Name: 'TeamsSchedulerRole', Parent: 'UserApplication' });
    const [assignment] = outputOf(
      await lab.run('New-ManagementRoleAssignment', {
        Role: 'TeamsSchedulerRole',
        User: 'contoso.com/Users/TeamsScheduler',
        DomainController: DC,
      }),
    );
    expect(assignment).toEqual({
      Name: 'TeamsSchedulerRole-TeamsScheduler',
      Identity: 'TeamsSchedulerRole-TeamsScheduler',
      Role: 'TeamsSchedulerRole',
      RoleAssigneeName: 'TeamsScheduler',
      RoleAssigneeType: 'User',
      Enabled: true,
    });
  });

  it('refuses to assign the same role to the same user twice', async () => {
    const lab = await withSchedulerAccount();
    await lab.run('New-ManagementRoleAssignment', { Role: 'UserApplication', User: 'TeamsScheduler' });
    const error = errorOf(
      await lab.run('New-ManagementRoleAssignment', { Role: 'UserApplication', User: 'TeamsScheduler' }),
    );
    expect(error.message).toBe(
      'The role "UserApplication" is already assigned to "TeamsScheduler" by the role assignment "UserApplication-TeamsScheduler".',
    );
  });

  it('filters assignments by -Role and -RoleAssignee', async () => {
    const lab = await withSchedulerAccount();
    await lab.run('New-ManagementRoleAssignment', { Role: 'UserApplication', User: 'TeamsScheduler' });
    await lab.run('New-ManagementRoleAssignment', { Role: 'ArchiveApplication', User: 'TeamsScheduler' });
    const byAssignee = outputOf(
      await lab.run('Get-ManagementRoleAssignment', { RoleAssignee: 'TeamsScheduler' }),
    );
    expect(byAssignee.map((a) => a.Role)).toEqual(['UserApplication', 'ArchiveApplication']);
    const byBoth = outputOf(
      await lab.run('Get-ManagementRoleAssignment', {
        Role: 'ArchiveApplication',
        RoleAssignee: 'TeamsScheduler',
      }),
    );
    expect(byBoth.map((a) => a.Name)).toEqual(['ArchiveApplication-TeamsScheduler']);
    const byRole = outputOf(await lab.run('Get-ManagementRoleAssignment', { Role: 'UserApplication' }));
    expect(byRole.map((a) => a.RoleAssigneeName)).toEqual([
      'Exchange Online-ApplicationAccount',
      'TeamsScheduler',
    ]);
  });

  it('reports an unknown assignee as not found', async () => {
    const lab = await harness();
    expect(
      errorOf(await lab.run('New-ManagementRoleAssignment', { Role: 'UserApplication', User: 'Ghost' }))
        .message,
    ).toBe(
      "The operation couldn't be performed because object 'Ghost' couldn't be found on 'dc01.contoso.com'.",
    );
  });
});
