/**
 * A lab org the CLI reaches as a real one with `--ems local`: its Graph endpoint over HTTPS (an app certificate
 * it trusts) and the HybridOps.Lab module endpoint the EMS_LAB_HOOK points the shell at.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../src/core/ports';
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { startLabGraphServer } from '../../src/lab/graph-server';
import { saveLabFile } from '../../src/lab/lab-file';
import { startLabModuleEndpoint } from '../../src/lab/powershell-endpoint';
import type { LabState } from '../../src/lab/state';
import { createTestCertificate } from '../graph/fixtures/certificates';

/** The servers, the Graph app's PEM (certificate and key), and the environment every CLI run shares. */
export interface EmsLabOrg {
  readonly tenantId: string;
  readonly clientId: string;
  readonly appPem: string;
  /** PATH, HOME, the database and actor, the cloud's URLs and CA, and the lab module endpoint. */
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Serves the lab org in `lab` (its state loaded as `state`), with its files in `dir`. */
export async function startEmsLabOrg(
  lab: string,
  state: LabState,
  dir: string,
  clock: Clock,
): Promise<EmsLabOrg> {
  const persist = () => saveLabFile(lab, state);
  const appCertificate = await createTestCertificate({
    subject: 'CN=hybridops',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
  });
  const graph = await startLabGraphServer({
    state,
    persist,
    clock,
    clientCertificatePem: appCertificate.certPem,
  });
  const endpoint = await startLabModuleEndpoint(new SimulatedExchange(state, { clock, persist }));
  const caFile = path.join(dir, 'lab-ca.pem');
  fs.writeFileSync(caFile, graph.caPem);
  return {
    tenantId: graph.tenantId,
    clientId: graph.clientId,
    appPem: `${appCertificate.certPem}\n${appCertificate.privateKeyPem}`,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      HYBRIDOPS_DB: path.join(dir, 'hybridops.db'),
      HYBRIDOPS_ACTOR: 'alice',
      AZURE_AUTHORITY_HOST: graph.authorityHost,
      HYBRIDOPS_GRAPH_URL: graph.url,
      NODE_EXTRA_CA_CERTS: caFile,
      HYBRIDOPS_EMS_LAB_URL: endpoint.url,
      HYBRIDOPS_EMS_LAB_SECRET: endpoint.secret,
    },
    async close() {
      await endpoint.close();
      await graph.close();
    },
  };
}
