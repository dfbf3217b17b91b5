import type { Policy } from '@gongzhi/kit';
import type { GrantRow } from './db/schema.ts';

/**
 * `grant_party`: a grant's money flows and reports are for the grant's parties — the partner that
 * receives or implements it — and for analysts, staff and admins; the public sees headlines only.
 */
const grantParty: Policy = (caller, grant: GrantRow) =>
  caller.role === 'analyst' ||
  caller.role === 'staff' ||
  caller.role === 'admin' ||
  (caller.role === 'partner' && (grant.recipientOrganisationId === caller.organisationId || grant.implementingOrganisationId === caller.organisationId));

export const policies: Record<string, Policy> = { grant_party: grantParty };
