/** What earlier steps of the same plan will have created, so later steps are planned against it. */
export interface Projection {
  /** Mail users the plan creates (lower-case names). */
  readonly mailUsers: Set<string>;
  /** Roles the plan creates, with their parent. */
  readonly roles: Map<string, string>;
}

/** An empty projection: nothing created yet. */
export function emptyProjection(): Projection {
  return { mailUsers: new Set(), roles: new Map() };
}
