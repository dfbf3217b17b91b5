import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, today, type FieldProblem } from '@gongzhi/kit';
import { microProjectSteps, microProjects } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { communityPlacement, idempotencyKeyProblems, organisationProblems, textProblems } from '../../common/write-checks.ts';

export const proposeMicroProject: MutationResolvers['proposeMicroProject'] = async (_parent, { input }, { database, caller, loaders }) => {
  const problems: FieldProblem[] = [
    ...idempotencyKeyProblems(input.idempotencyKey),
    ...(input.communityId.trim() ? [] : [problem(['communityId'], 'REQUIRED', 'name the community it serves')]),
    ...textProblems(input.title, ['title'], 200, 'give the project a title'),
    ...organisationProblems(input.proposerOrganisationId, ['proposerOrganisationId']),
  ];
  if (input.year < 2000 || input.year > 2100) problems.push(problem(['year'], 'INVALID', 'a fund year between 2000 and 2100'));
  if (input.plannedBudget <= 0) problems.push(problem(['plannedBudget'], 'INVALID', 'a whole number of fen above zero'));
  if (input.beneficiaries < 0) problems.push(problem(['beneficiaries'], 'INVALID', 'zero or more residents'));
  if (problems.length > 0) return { microProject: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    { schema: 'services', operation: 'proposeMicroProject', caller, idempotencyKey: input.idempotencyKey },
    async ({ tx, audit }) => {
      const place = await communityPlacement(tx, input.communityId);
      if (!place.known) throw new InputError([problem(['communityId'], 'NOT_FOUND', 'no community with this id has services records')]);
      // The record keeps the sub-district the community is in when proposed (boundaries move later).
      if (place.subdistrictId === null)
        throw new InputError([problem(['communityId'], 'NOT_FOUND', 'the sub-district of this community is not yet known here')]);
      const project = {
        id: `mp-${randomUUID()}`,
        communityId: input.communityId,
        subdistrictId: place.subdistrictId,
        year: input.year,
        title: input.title.trim(),
        category: input.category,
        proposerOrganisationId: input.proposerOrganisationId,
        plannedBudgetFen: input.plannedBudget,
        beneficiaries: input.beneficiaries,
        version: 1,
      };
      const step = { id: `${project.id}-1`, microProjectId: project.id, status: 'PROPOSED' as const, on: today(), note: '', reason: null };
      await tx.insert(microProjects).values(project);
      await tx.insert(microProjectSteps).values(step);
      await audit({
        entityType: 'MicroProject',
        entityId: project.id,
        operation: 'proposeMicroProject',
        before: null,
        after: { ...project, status: step.status, step },
      });
      return project.id;
    },
  );
  if (!outcome.ok) return { microProject: null, replayed: false, errors: outcome.problems };
  return { microProject: await loaders.projectAfterWrite(outcome.value), replayed: outcome.replayed, errors: [] };
};
