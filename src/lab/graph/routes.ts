/** Routes one lab Graph call (top-level or inside `$batch`) to its resource: servicePrincipals or applications. */
import { handleApplications } from './applications';
import { segmentNotFound } from './faults';
import { GraphFault, type LabResponse } from './http';
import type { LabGraphRequest, ResourceContext } from './resource';
import { handleServicePrincipals } from './service-principals';

export type { LabGraphRequest, ResourceContext } from './resource';

/** Answers one request; throws GraphFault for Graph's error answers. */
export function handleGraphRequest(ctx: ResourceContext, req: LabGraphRequest): LabResponse {
  const path = decodePath(req.path);
  const segment = path.split('/').filter(Boolean)[0] ?? '';
  if (/^servicePrincipals(\(|$)/i.test(segment)) return handleServicePrincipals(ctx, req, path);
  if (/^applications(\(|$)/i.test(segment)) return handleApplications(ctx, req, path);
  throw segmentNotFound(segment);
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new GraphFault(400, 'BadRequest', `The request URI '${path}' is not valid.`);
  }
}
