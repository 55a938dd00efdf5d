/** The Agents Playground configuration for the lab (schema 0.1.1), rendered from the lab identities. */
import fs from 'node:fs';
import path from 'node:path';
import { LAB_BOT, LAB_ORGS, LAB_PEOPLE, LAB_TEAM_ID, LAB_TENANT_ID } from './identities';

export const LAB_PERSONAL_CHAT_ID = 'a:hybridops-lab-personal-chat';
export const LAB_GROUP_CHAT_ID = '19:hybridops-lab-group-chat@thread.v2';
export const LAB_TEAM_AAD_GROUP_ID = '5b6e1f3c-8d2a-4c1e-9f3b-7a1d2c3e4f50';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The YAML text of the playground configuration; the signed-in user is `currentUser` (an index into the people). */
export function playgroundConfigYaml(currentUser = 0): string {
  const user = (p: (typeof LAB_PEOPLE)[number], indent: string) =>
    [
      `${indent}id: ${quote(p.id)}`,
      `${indent}name: ${quote(p.name)}`,
      `${indent}userPrincipleName: ${quote(p.upn)}`,
      `${indent}aadObjectId: ${quote(p.aadObjectId)}`,
      `${indent}givenName: ${quote(p.givenName)}`,
      `${indent}surname: ${quote(p.surname)}`,
      `${indent}email: ${quote(p.upn)}`,
    ].join('\n');
  const current = LAB_PEOPLE[currentUser] ?? LAB_PEOPLE[0];
  if (!current) throw new Error('The lab has no people.');
  const others = LAB_PEOPLE.filter((p) => p !== current);
  return [
    'version: "0.1.1"',
    `tenantId: ${quote(LAB_TENANT_ID)}`,
    'bot:',
    `  id: ${quote(LAB_BOT.id)}`,
    `  name: ${quote(LAB_BOT.name)}`,
    'currentUser:',
    user(current, '  '),
    'users:',
    ...others.map((p) => user(p, '    ').replace(/^ {4}/, '  - ')),
    'personalChat:',
    `  id: ${quote(LAB_PERSONAL_CHAT_ID)}`,
    'groupChat:',
    `  id: ${quote(LAB_GROUP_CHAT_ID)}`,
    "  name: 'Exchange admins chat'",
    'team:',
    `  id: ${quote(LAB_TEAM_ID)}`,
    "  name: 'Hybrid admins'",
    `  aadGroupId: ${quote(LAB_TEAM_AAD_GROUP_ID)}`,
    '  channels:',
    // The General channel (the team's own id) is implicit; the Playground allows one channel besides it.
    ...LAB_ORGS.filter((org) => org.channelId !== LAB_TEAM_ID).flatMap((org) => [
      `    - id: ${quote(org.channelId)}`,
      `      name: ${quote(org.channelName)}`,
    ]),
    '',
  ].join('\n');
}

/** Writes the configuration to `dir` and returns its path. */
export function writePlaygroundConfig(dir: string, currentUser = 0): string {
  const file = path.join(dir, '.m365agentsplayground.yml');
  fs.writeFileSync(file, playgroundConfigYaml(currentUser));
  return file;
}
