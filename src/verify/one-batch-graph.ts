/** A GraphPort view that answers every service-principal read from one `$batch`, so a verification costs one call. */

import type { ServicePrincipal } from '../core/entra';
import type { GraphPort } from '../core/ports';

type Principals = Record<string, ServicePrincipal | null>;

/** Reads `appIds` (plus whatever the first caller asks for) in one batch, then answers later reads from it. */
export function oneBatchReads(graph: Pick<GraphPort, 'readServicePrincipals'>, appIds: readonly string[]) {
  let batch: Promise<Principals> | null = null;
  let asked: Set<string> = new Set();
  const read = async (wanted: readonly string[]): Promise<Principals> => {
    if (!batch) {
      asked = new Set([...appIds, ...wanted]);
      batch = graph.readServicePrincipals([...asked]);
    }
    const missing = wanted.filter((appId) => !asked.has(appId));
    const [cached, extra] = await Promise.all([
      batch,
      missing.length > 0 ? graph.readServicePrincipals(missing) : Promise.resolve({} as Principals),
    ]);
    const answer: Principals = {};
    for (const appId of wanted) answer[appId] = cached[appId] ?? extra[appId] ?? null;
    return answer;
  };
  return { readServicePrincipals: read };
}
