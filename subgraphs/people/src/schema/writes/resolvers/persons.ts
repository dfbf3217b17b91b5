import { randomUUID } from 'node:crypto';
import { InputError, lockRow, nextVersion, problem, runMutation, today, violatedConstraint } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { persons, type PersonRow } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { communityId, checkIdempotencyKey, personName, phoneNumber, requiredText, yearOf, type Problems } from '../../../writes/checks.ts';
import { auditedPerson } from '../../../writes/masking.ts';
import { parseResidentId } from '../../../writes/resident-id.ts';
import { committed, isCountedCommunity } from '../../../writes/rows.ts';

const duplicateId = () => problem(['idNumber'], 'CONFLICT', 'a person with this ID number is registered already');
const unknownCommunity = () => problem(['communityId'], 'NOT_FOUND', 'no community of the district has this id');

export const registerPerson: NonNullable<MutationResolvers['registerPerson']> = async (_parent, { input }, context) => {
  const problems: Problems = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  const name = personName(problems, input.name);
  const id = parseResidentId(input.idNumber, today());
  if (typeof id === 'string') problems.push(problem(['idNumber'], input.idNumber.trim() ? 'INVALID' : 'REQUIRED', id));
  else {
    if (id.birthDate !== input.birthDate) problems.push(problem(['birthDate'], 'INVALID', `the ID number says ${id.birthDate}`));
    if (id.gender !== input.gender) problems.push(problem(['gender'], 'INVALID', `the ID number says ${id.gender.toLowerCase()}`));
  }
  communityId(problems, 'communityId', input.communityId);
  const phone = phoneNumber(problems, input.phone);
  const address = requiredText(problems, 'address', input.address, 200, 'where the person lives');
  if (problems.length > 0 || typeof id === 'string') return { person: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    context.database.db,
    {
      schema: 'people',
      operation: 'registerPerson',
      caller: context.caller,
      idempotencyKey: input.idempotencyKey,
      // A concurrent registration of the same number got there first.
      explain: (error) => (violatedConstraint(error) === 'persons_id_number_idx' ? [duplicateId()] : null),
    },
    async ({ tx, audit }) => {
      const [taken] = await tx.select({ id: persons.id }).from(persons).where(eq(persons.idNumber, id.idNumber));
      if (taken) throw new InputError([duplicateId()]);
      if (!(await isCountedCommunity(tx, input.communityId))) throw new InputError([unknownCommunity()]);
      const row: PersonRow = {
        id: `per-${randomUUID()}`,
        name,
        gender: id.gender,
        birthYear: yearOf(id.birthDate),
        hukou: input.hukou,
        communityId: input.communityId,
        education: input.education,
        idNumber: id.idNumber,
        phone,
        address,
        birthDate: id.birthDate,
        version: 1,
      };
      await tx.insert(persons).values(row);
      await audit({ entityType: 'Person', entityId: row.id, operation: 'registerPerson', before: null, after: auditedPerson(row) });
      return row.id;
    },
  );
  if (!outcome.ok) return { person: null, replayed: false, errors: outcome.problems };
  context.loaders.personById.clear(outcome.value);
  return { person: await committed(context).person(outcome.value), replayed: outcome.replayed, errors: [] };
};

export const updatePerson: NonNullable<MutationResolvers['updatePerson']> = async (_parent, { input }, context) => {
  // Left out or null: unchanged. What is given is checked as `registerPerson` checks it.
  const problems: Problems = [];
  const changes: Partial<Pick<PersonRow, 'name' | 'hukou' | 'communityId' | 'education' | 'phone' | 'address'>> = {};
  if (input.name != null) changes.name = personName(problems, input.name);
  if (input.hukou != null) changes.hukou = input.hukou;
  if (input.communityId != null) {
    communityId(problems, 'communityId', input.communityId);
    changes.communityId = input.communityId;
  }
  if (input.education != null) changes.education = input.education;
  if (input.phone != null) changes.phone = phoneNumber(problems, input.phone);
  if (input.address != null) changes.address = requiredText(problems, 'address', input.address, 200, 'where the person lives');
  if (problems.length > 0) return { person: null, errors: problems };

  const outcome = await runMutation(
    context.database.db,
    { schema: 'people', operation: 'updatePerson', caller: context.caller },
    async ({ tx, audit }) => {
      // Locked: concurrent updates queue here, and each sees the version the one before it left.
      const before = await lockRow(tx, persons, input.id, ['id'], 'no person has this id');
      const version = nextVersion(before, input.expectedVersion);
      const changed = Object.fromEntries(Object.entries(changes).filter(([field, value]) => before[field as keyof PersonRow] !== value));
      if (Object.keys(changed).length === 0) return before.id;
      if (changed.communityId !== undefined && !(await isCountedCommunity(tx, changed.communityId as string)))
        throw new InputError([unknownCommunity()]);
      const [after] = await tx
        .update(persons)
        .set({ ...changed, version })
        .where(eq(persons.id, before.id))
        .returning();
      await audit({
        entityType: 'Person',
        entityId: before.id,
        operation: 'updatePerson',
        before: auditedPerson(before),
        after: auditedPerson(after!),
      });
      return before.id;
    },
  );
  if (!outcome.ok) return { person: null, errors: outcome.problems };
  context.loaders.personById.clear(outcome.value);
  return { person: await committed(context).person(outcome.value), errors: [] };
};
