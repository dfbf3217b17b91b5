import { randomUUID } from 'node:crypto';
import { type FieldProblem, InputError, lockRow, nextVersion, problem, runMutation, today, violatedConstraint } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { buildings, gridAreas, organisations, posts, type OrganisationRow, type PostRow } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { requiredText, type Problems } from './fields.ts';

const committeeLike: readonly OrganisationRow['kind'][] = [
  'RESIDENTS_COMMITTEE',
  'RESIDENTS_COUNCIL',
  'SUPERVISION_COMMITTEE',
  'OWNERS_COMMITTEE',
];

/** The organisations a role's seat can be in; a role not listed (legal adviser, counsellor, ...) fits any. */
const seatsIn: Partial<Record<PostRow['role'], readonly OrganisationRow['kind'][]>> = {
  PARTY_SECRETARY: ['PARTY_COMMITTEE'],
  DEPUTY_PARTY_SECRETARY: ['PARTY_COMMITTEE'],
  PARTY_COMMITTEE_MEMBER: ['PARTY_COMMITTEE'],
  WORKSTATION_HEAD: ['WORKSTATION'],
  AREA_DIRECTOR: ['WORKSTATION'],
  BUILDING_HEAD: ['WORKSTATION'],
  COMMITTEE_DIRECTOR: committeeLike,
  DEPUTY_DIRECTOR: committeeLike,
  COMMITTEE_MEMBER: committeeLike,
};

function explainPost(error: unknown): FieldProblem[] | null {
  switch (violatedConstraint(error)) {
    case 'posts_open_area_director_key':
      return [problem(['gridAreaId'], 'CONFLICT', "the grid area already has an open area director's seat")];
    case 'posts_open_building_head_key':
      return [problem(['buildingId'], 'CONFLICT', "the building already has an open building head's seat")];
    default:
      return null;
  }
}

export const postMutations: Pick<MutationResolvers, 'openPost' | 'closePost'> = {
  openPost: async (_parent, { input }, context) => {
    const problems: Problems = [];
    const idempotencyKey = requiredText(problems, ['idempotencyKey'], input.idempotencyKey, 200);
    const label = requiredText(problems, ['label'], input.label, 100);
    // Only an area director answers for a grid area, only a building head for a building.
    if (input.role === 'AREA_DIRECTOR' && !input.gridAreaId)
      problems.push(problem(['gridAreaId'], 'REQUIRED', 'an area director answers for a grid area'));
    if (input.role === 'BUILDING_HEAD' && !input.buildingId)
      problems.push(problem(['buildingId'], 'REQUIRED', 'a building head answers for a building'));
    if (input.gridAreaId && input.role !== 'AREA_DIRECTOR' && input.role !== 'BUILDING_HEAD') {
      problems.push(problem(['gridAreaId'], 'INVALID', 'only an area director or building head answers for a grid area'));
    }
    if (input.buildingId && input.role !== 'BUILDING_HEAD')
      problems.push(problem(['buildingId'], 'INVALID', 'only a building head answers for a building'));
    if (problems.length > 0) return { post: null, replayed: false, errors: problems };

    const { database, caller } = context;
    const outcome = await runMutation(
      database.db,
      { schema: 'organisations', operation: 'openPost', caller, idempotencyKey, explain: explainPost },
      async ({ tx, audit }) => {
        const [organisation] = await tx.select().from(organisations).where(eq(organisations.id, input.organisationId));
        if (!organisation) throw new InputError([problem(['organisationId'], 'NOT_FOUND', 'no organisation has this id')]);
        const found: Problems = [];
        const fits = seatsIn[input.role];
        if (fits && !fits.includes(organisation.kind)) {
          found.push(
            problem(
              ['role'],
              'INVALID',
              `the ${input.role.toLowerCase().replaceAll('_', ' ')} seat belongs in a ${fits.join(' or ').toLowerCase().replaceAll('_', ' ')}`,
            ),
          );
        }
        if (organisation.foundedOn && input.validFrom < organisation.foundedOn) {
          found.push(problem(['validFrom'], 'INVALID', `before the organisation was founded (${organisation.foundedOn})`));
        }
        let gridAreaId = input.gridAreaId ?? null;
        if (input.buildingId) {
          const [building] = await tx.select().from(buildings).where(eq(buildings.id, input.buildingId));
          if (!building) found.push(problem(['buildingId'], 'NOT_FOUND', 'no building has this id'));
          else if (gridAreaId && gridAreaId !== building.gridAreaId)
            found.push(problem(['gridAreaId'], 'INVALID', 'the building is in another grid area'));
          else gridAreaId = building.gridAreaId;
        }
        if (gridAreaId) {
          const [gridArea] = await tx.select().from(gridAreas).where(eq(gridAreas.id, gridAreaId));
          if (!gridArea) found.push(problem(['gridAreaId'], 'NOT_FOUND', 'no grid area has this id'));
          else if (gridArea.communityId !== organisation.communityId) {
            found.push(problem([input.buildingId ? 'buildingId' : 'gridAreaId'], 'INVALID', "not in the organisation's community"));
          }
        }
        if (found.length > 0) throw new InputError(found);
        const row = {
          id: `post-${randomUUID()}`,
          organisationId: organisation.id,
          role: input.role,
          label,
          gridAreaId,
          buildingId: input.buildingId ?? null,
          validFrom: input.validFrom,
          validTo: null,
        };
        const [created] = await tx.insert(posts).values(row).returning();
        await audit({ entityType: 'Post', entityId: row.id, operation: 'openPost', before: null, after: created });
        return row.id;
      },
    );
    if (!outcome.ok) return { post: null, replayed: false, errors: outcome.problems };
    return { post: await context.loaders.postById.load(outcome.value), replayed: outcome.replayed, errors: [] };
  },

  closePost: async (_parent, { input }, context) => {
    // A seat counts as closed once its last day is recorded, so that day cannot lie ahead.
    if (input.validTo > today())
      return { post: null, errors: [problem(['validTo'], 'INVALID', `cannot be later than today (${today()})`)] };
    const { database, caller } = context;
    const outcome = await runMutation(database.db, { schema: 'organisations', operation: 'closePost', caller }, async ({ tx, audit }) => {
      const before = await lockRow(tx, posts, input.id, ['id'], 'no post has this id');
      // OPEN → CLOSED is the only step: say so before asking the client to reload.
      if (before.validTo !== null)
        throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', `the seat is already closed (last day ${before.validTo})`)]);
      const version = nextVersion(before, input.expectedVersion);
      if (input.validTo < before.validFrom)
        throw new InputError([problem(['validTo'], 'INVALID', `before the seat opened (${before.validFrom})`)]);
      const [after] = await tx.update(posts).set({ validTo: input.validTo, version }).where(eq(posts.id, before.id)).returning();
      await audit({ entityType: 'Post', entityId: before.id, operation: 'closePost', before, after });
      return before.id;
    });
    if (!outcome.ok) return { post: null, errors: outcome.problems };
    return { post: await context.loaders.postById.load(outcome.value), errors: [] };
  },
};
