/**
 * A verification's one Graph `$batch`, sent once Exchange has named the organization (the dedicated hybrid
 * application is named after its GUID); the engine's snapshot has its service principals answered from it.
 */
import type { ServicePrincipal, VerificationDirectory } from '../core/entra';
import type { GraphPort } from '../core/ports';

type Principals = Record<string, ServicePrincipal | null>;

export interface VerificationBatch {
  /** What the batch read, once the name was known and the batch answered. */
  readonly directory: Promise<VerificationDirectory>;
  /** Answers from the batch; appIds asked before it is sent join it, others asked later cost a read of their own. */
  readServicePrincipals(appIds: readonly string[]): Promise<Principals>;
}

/** One batch of `appIds` and of the dedicated application `dedicatedAppName` will name, sent as soon as it does. */
export function verificationBatch(
  graph: Pick<GraphPort, 'readServicePrincipals' | 'readVerificationDirectory'>,
  appIds: readonly string[],
  dedicatedAppName: Promise<string | null>,
): VerificationBatch {
  const asked = new Set(appIds);
  let sent = false;
  const directory = dedicatedAppName.then((name) => {
    sent = true;
    return graph.readVerificationDirectory([...asked], name);
  });
  const readServicePrincipals = async (wanted: readonly string[]): Promise<Principals> => {
    if (!sent) for (const appId of wanted) asked.add(appId);
    const missing = wanted.filter((appId) => !asked.has(appId));
    const [read, extra] = await Promise.all([
      directory,
      missing.length > 0 ? graph.readServicePrincipals(missing) : Promise.resolve({} as Principals),
    ]);
    const answer: Principals = {};
    for (const appId of wanted) answer[appId] = read.principals[appId] ?? extra[appId] ?? null;
    return answer;
  };
  return { directory, readServicePrincipals };
}
