import { hasScope, type Policy } from '@gongzhi/kit';
import type { GrantRow } from './db/schema.ts';

/**
 * `grant_party`: a grant's money flows and reports are for the grant's parties — the partner that
 * receives or implements it — and for analysts, staff and admins; the public sees headlines only.
 */
const grantParty: Policy = (caller, grant: GrantRow) =>
  caller.role === 'analyst' ||
  caller.role === 'staff' ||
  caller.role === 'admin' ||
  (caller.role === 'partner' &&
    (grant.recipientOrganisationId === caller.organisationId || grant.implementingOrganisationId === caller.organisationId));

/**
 * `progress_reporter`: who may call `submitProgressReport` at all — staff with `write:funding`, admins,
 * and partners. Whose grant a partner may report on is not known before the input is read: the resolver
 * answers NOT_FOUND for another's grant, and row-level security refuses the row whatever the resolver does.
 */
const progressReporter: Policy = (caller) => hasScope(caller, 'write:funding') || caller.role === 'partner';

export const policies: Record<string, Policy> = { grant_party: grantParty, progress_reporter: progressReporter };
