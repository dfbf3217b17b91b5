import { randomUUID } from 'node:crypto';
import { type FieldProblem, InputError, lockRow, nextVersion, problem, runMutation, violatedConstraint } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { communities, organisations, residentsCommittees, type OrganisationRow } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { contactDetails, creditCode, notInFuture, optionalText, requiredText, type Problems } from './fields.ts';

type Kind = OrganisationRow['kind'];

/** Bodies of a residents' committee: they hang from the committee, and through it from its community. */
const committeeBodies: readonly Kind[] = ['RESIDENTS_COMMITTEE', 'RESIDENTS_COUNCIL', 'SUPERVISION_COMMITTEE'];
/** Community-level by definition (社区党委, 社区工作站, 党群服务中心, 股份合作公司, 业委会, 驻社区单位). */
const communityBodies: readonly Kind[] = [
  'PARTY_COMMITTEE',
  'WORKSTATION',
  'SERVICE_CENTRE',
  'STOCK_COMPANY',
  'OWNERS_COMMITTEE',
  'RESIDENT_UNIT',
];

/** The database's refusals a form can act on: a taken credit code, a second body where one is allowed. */
function explainOrganisation(error: unknown): FieldProblem[] | null {
  switch (violatedConstraint(error)) {
    case 'organisations_credit_code_unique':
      return [problem(['creditCode'], 'CONFLICT', 'another organisation has this credit code')];
    case 'organisations_community_leadership_key':
      return [problem(['kind'], 'CONFLICT', 'the community already has an organisation of this kind')];
    case 'organisations_committee_body_key':
      return [problem(['kind'], 'CONFLICT', "the residents' committee already has an organisation of this kind")];
    default:
      return null;
  }
}

/** Where an organisation of `kind` may belong: which reference it needs and which it must not have. */
function checkPlacement(
  problems: Problems,
  kind: Kind,
  communityId: string | null | undefined,
  committeeId: string | null | undefined,
): void {
  if (committeeBodies.includes(kind)) {
    if (!committeeId) problems.push(problem(['residentsCommitteeId'], 'REQUIRED', "name the residents' committee this body belongs to"));
  } else if (committeeId) {
    problems.push(
      problem(['residentsCommitteeId'], 'INVALID', "only a residents' committee, council or supervision committee belongs to a committee"),
    );
  }
  if (communityBodies.includes(kind) && !communityId)
    problems.push(problem(['communityId'], 'REQUIRED', 'name the community it belongs to'));
  if (kind === 'GOVERNMENT_DEPARTMENT' && communityId)
    problems.push(problem(['communityId'], 'INVALID', 'a government department belongs to no community'));
}

export const organisationMutations: Pick<MutationResolvers, 'createOrganisation' | 'updateOrganisation'> = {
  createOrganisation: async (_parent, { input }, context) => {
    const problems: Problems = [];
    const idempotencyKey = requiredText(problems, ['idempotencyKey'], input.idempotencyKey, 200);
    const name = requiredText(problems, ['name'], input.name, 200);
    const nameEn = optionalText(problems, ['nameEn'], input.nameEn, 200) ?? null;
    const code = creditCode(problems, ['creditCode'], input.creditCode) ?? null;
    const contact = contactDetails(problems, input.contact);
    notInFuture(problems, ['foundedOn'], input.foundedOn);
    checkPlacement(problems, input.kind, input.communityId, input.residentsCommitteeId);
    if (problems.length > 0) return { organisation: null, replayed: false, errors: problems };

    const { database, caller } = context;
    const outcome = await runMutation(
      database.db,
      { schema: 'organisations', operation: 'createOrganisation', caller, idempotencyKey, explain: explainOrganisation },
      async ({ tx, audit }) => {
        const found: Problems = [];
        let communityId = input.communityId ?? null;
        if (input.residentsCommitteeId) {
          const [committee] = await tx.select().from(residentsCommittees).where(eq(residentsCommittees.id, input.residentsCommitteeId));
          if (!committee) found.push(problem(['residentsCommitteeId'], 'NOT_FOUND', "no residents' committee has this id"));
          else if (communityId && communityId !== committee.communityId)
            found.push(problem(['residentsCommitteeId'], 'INVALID', 'the committee is in another community'));
          else communityId = committee.communityId;
        }
        if (input.communityId) {
          const [community] = await tx.select().from(communities).where(eq(communities.id, input.communityId));
          if (!community) found.push(problem(['communityId'], 'NOT_FOUND', 'no community has this id'));
          else if (community.validTo !== null)
            found.push(problem(['communityId'], 'INVALID', `the community ceased on ${community.validTo}`));
        }
        if (found.length > 0) throw new InputError(found);
        const row = {
          id: `org-${randomUUID()}`,
          kind: input.kind,
          name,
          nameEn,
          creditCode: code,
          communityId,
          residentsCommitteeId: input.residentsCommitteeId ?? null,
          phone: null,
          email: null,
          address: null,
          website: null,
          ...contact,
          foundedOn: input.foundedOn ?? null,
        };
        const [created] = await tx.insert(organisations).values(row).returning();
        await audit({ entityType: 'Organisation', entityId: row.id, operation: 'createOrganisation', before: null, after: created });
        return row.id;
      },
    );
    if (!outcome.ok) return { organisation: null, replayed: false, errors: outcome.problems };
    return { organisation: await context.loaders.organisationById.load(outcome.value), replayed: outcome.replayed, errors: [] };
  },

  updateOrganisation: async (_parent, { input }, context) => {
    const problems: Problems = [];
    const name = input.name === undefined ? undefined : requiredText(problems, ['name'], input.name ?? '', 200);
    const nameEn = optionalText(problems, ['nameEn'], input.nameEn, 200);
    const code = creditCode(problems, ['creditCode'], input.creditCode);
    const contact = contactDetails(problems, input.contact);
    notInFuture(problems, ['foundedOn'], input.foundedOn);
    if (problems.length > 0) return { organisation: null, errors: problems };

    const { database, caller } = context;
    const outcome = await runMutation(
      database.db,
      { schema: 'organisations', operation: 'updateOrganisation', caller, explain: explainOrganisation },
      async ({ tx, audit }) => {
        // Locked: concurrent updates queue here, and each sees the version the previous one left.
        const before = await lockRow(tx, organisations, input.id, ['id'], 'no organisation has this id');
        const version = nextVersion(before, input.expectedVersion);
        const changes = { name, nameEn, creditCode: code, ...contact, foundedOn: input.foundedOn, version };
        // Left-out fields (undefined) are not written.
        const [after] = await tx.update(organisations).set(changes).where(eq(organisations.id, before.id)).returning();
        await audit({ entityType: 'Organisation', entityId: before.id, operation: 'updateOrganisation', before, after });
        return before.id;
      },
    );
    if (!outcome.ok) return { organisation: null, errors: outcome.problems };
    return { organisation: await context.loaders.organisationById.load(outcome.value), errors: [] };
  },
};
