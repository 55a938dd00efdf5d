/** The Microsoft articles the runbooks' steps follow, linked from every plan step (URLs without a locale). */
import type { Article } from './types';

/** Seeds 000–003: Exchange Server ↔ Teams / Skype for Business Online (one Learn page serves their texts). */
export const SEED_INTEGRATION: Article = {
  title: 'Configure integration between Exchange Server and Microsoft Teams / Skype for Business Online',
  url: 'https://learn.microsoft.com/skypeforbusiness/deploy/integrate-with-exchange-server/oauth-with-online-and-on-premises',
};

/** Step 1 of the seeds: auth servers, partner application, SPNs, intra-organization connectors, verification. */
export const HYBRID_OAUTH: Article = {
  title: 'Configure OAuth authentication between Exchange and Exchange Online organizations',
  url: 'https://learn.microsoft.com/exchange/configure-oauth-authentication-between-exchange-and-exchange-online-organizations-exchange-2013-help',
};

/** The dedicated Exchange hybrid application, every step. */
export const DEDICATED_HYBRID_APP: Article = {
  title: 'Deploy dedicated Exchange hybrid app',
  url: 'https://learn.microsoft.com/exchange/hybrid-deployment/deploy-dedicated-hybrid-app',
};

/** Removing the Exchange certificate keys from the shared Exchange Online service principal. */
export const SHARED_SP_CLEANUP: Article = {
  title: 'Deploy dedicated Exchange hybrid app: service principal clean-up mode',
  url: 'https://learn.microsoft.com/exchange/hybrid-deployment/deploy-dedicated-hybrid-app#service-principal-clean-up-mode',
};

/** Staged rotation of the auth certificate. */
export const MAINTAIN_AUTH_CERTIFICATE: Article = {
  title: 'Maintain the Exchange Server OAuth certificate',
  url: 'https://learn.microsoft.com/exchange/plan-and-deploy/integration-with-sharepoint-and-skype/maintain-oauth-certificate',
};

/** KB 2617816: the auth certificate already expired (or missing), published at once. */
export const EXPIRED_AUTH_CERTIFICATE: Article = {
  title: "Can't sign in to Outlook on the web or EAC if Exchange Server OAuth certificate is expired",
  url: 'https://learn.microsoft.com/exchange/troubleshoot/administration/cannot-access-owa-or-ecp-if-oauth-expired',
};
