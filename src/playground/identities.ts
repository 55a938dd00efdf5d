/** The lab's Teams world: one tenant, an admin team with an admin channel, and six people with fixed ids. */

export const LAB_TENANT_ID = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
export const LAB_TEAM_ID = '19:hybridops-admins@thread.tacv2';
/** The admin channel (the team's General channel has the team's id). */
export const LAB_ADMIN_CHANNEL_ID = '19:hybridops-ops@thread.tacv2';
export const LAB_BOT = { id: '28:hybridops-lab-bot', name: 'hybridops' } as const;

export interface LabPerson {
  /** Teams user id in the playground. */
  readonly id: string;
  readonly name: string;
  readonly givenName: string;
  readonly surname: string;
  readonly upn: string;
  readonly aadObjectId: string;
  readonly roles: readonly ('operator' | 'approver')[];
}

const person = (
  index: number,
  givenName: string,
  surname: string,
  aadObjectId: string,
  roles: LabPerson['roles'],
): LabPerson => ({
  id: `user-id-${index}`,
  name: `${givenName} ${surname}`,
  givenName,
  surname,
  upn: `${givenName.toLowerCase()}@contoso.com`,
  aadObjectId,
  roles,
});

/**
 * Six people (the playground wants a current user and exactly five others): two operators, an approver, and
 * three without a role. Alex is an approver too, so that his click on his own request shows that refusal.
 */
export const LAB_PEOPLE: readonly LabPerson[] = [
  person(0, 'Alex', 'Wilber', '00000000-0000-0000-0000-0000000000a1', ['operator', 'approver']),
  person(1, 'Megan', 'Bowen', '00000000-0000-0000-0000-0000000000a2', ['operator']),
  person(2, 'Lee', 'Gu', '00000000-0000-0000-0000-0000000000b1', ['approver']),
  person(3, 'Diego', 'Siciliani', '00000000-0000-0000-0000-0000000000c1', []),
  person(4, 'Isaiah', 'Langer', '00000000-0000-0000-0000-0000000000c2', []),
  person(5, 'Nestor', 'Wilke', '00000000-0000-0000-0000-0000000000c3', []),
];

/** The person at `index`. */
export function labPerson(index: number): LabPerson {
  const found = LAB_PEOPLE[index];
  if (!found) throw new Error(`The lab has no person ${index}.`);
  return found;
}

/** Environment for loadConfig: who may do what in the lab. */
export function labBotEnv(): Record<string, string> {
  return {
    HYBRIDOPS_TENANT_ID: LAB_TENANT_ID,
    HYBRIDOPS_ADMIN_TEAM_ID: LAB_TEAM_ID,
    HYBRIDOPS_ADMIN_CHANNEL_ID: LAB_ADMIN_CHANNEL_ID,
    HYBRIDOPS_OPERATORS: LAB_PEOPLE.filter((p) => p.roles.includes('operator'))
      .map((p) => p.aadObjectId)
      .join(','),
    HYBRIDOPS_APPROVERS: LAB_PEOPLE.filter((p) => p.roles.includes('approver'))
      .map((p) => p.aadObjectId)
      .join(','),
  };
}
