/** Object ids as the lab's Graph makes them. */
import { randomBytes } from 'node:crypto';

/** An appRoleAssignment id as Graph makes them: 43 base64url characters. */
export function newAppRoleAssignmentId(): string {
  return randomBytes(32).toString('base64url');
}
