/**
 * The lab's Teams world: one tenant, an admin team with an admin channel per simulated org, and six people with
 * fixed ids.
 */

export const LAB_TENANT_ID = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
export const LAB_TEAM_ID = '19:hybridops-admins@thread.tacv2';
/** The admin channel of contoso.com (the team's General channel has the team's id). */
export const LAB_ADMIN_CHANNEL_ID = '19:hybridops-ops@thread.tacv2';
/**
 * The admin channel of the lab's second org, fabrikam.com: the team's General channel, whose id is the team's (the
 * Agents Playground gives a team one channel besides General).
 */
export const LAB_FABRIKAM_CHANNEL_ID = LAB_TEAM_ID;
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

/** One of the lab's simulated orgs: its admin channel, relay agent and people. */
export interface LabOrg {
  readonly id: string;
  readonly domain: string;
  readonly channelId: string;
  readonly channelName: string;
  readonly agentId: string;
  /** Its simulated org's file name in the lab folder. */
  readonly file: string;
  /** Entra object ids of its operators and approvers. */
  readonly operators: readonly string[];
  readonly approvers: readonly string[];
}

const idsOf = (...indexes: number[]) => indexes.map((index) => labPerson(index).aadObjectId);

/**
 * The lab's two orgs, one admin channel each in the same team. Contoso's people are as above; at Fabrikam, Alex
 * and Megan plan and Alex and Isaiah approve, so Lee (contoso's approver) may approve nothing there.
 */
export const LAB_ORGS: readonly LabOrg[] = [
  {
    id: 'contoso',
    domain: 'contoso.com',
    channelId: LAB_ADMIN_CHANNEL_ID,
    channelName: 'Hybrid Ops',
    agentId: 'lab-exchange',
    file: 'org.json',
    operators: LAB_PEOPLE.filter((p) => p.roles.includes('operator')).map((p) => p.aadObjectId),
    approvers: LAB_PEOPLE.filter((p) => p.roles.includes('approver')).map((p) => p.aadObjectId),
  },
  {
    id: 'fabrikam',
    domain: 'fabrikam.com',
    channelId: LAB_FABRIKAM_CHANNEL_ID,
    channelName: 'General',
    agentId: 'lab-exchange-fabrikam',
    file: 'fabrikam.json',
    operators: idsOf(0, 1),
    approvers: idsOf(0, 4),
  },
];

/** What a person may do in each lab org, for the lab's welcome text. */
export function labRoles(person: LabPerson): string {
  const roles = LAB_ORGS.map((org) => {
    const at = [
      ...(org.operators.includes(person.aadObjectId) ? ['operator'] : []),
      ...(org.approvers.includes(person.aadObjectId) ? ['approver'] : []),
    ];
    return at.length ? `${at.join(' + ')} at ${org.domain}` : null;
  }).filter((role): role is string => role !== null);
  return roles.join('; ') || 'no role';
}
