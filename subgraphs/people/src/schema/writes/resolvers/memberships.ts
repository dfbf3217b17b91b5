import { randomUUID } from 'node:crypto';
import { InputError, lockRow, nextVersion, problem, runMutation, today, violatedConstraint } from '@gongzhi/kit';
import { asc, eq } from 'drizzle-orm';
import { memberships, persons, type MembershipRow } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { addYears, earliestDate, checkIdempotencyKey, nextDay, postId, requiredText, type Problems } from '../../../writes/checks.ts';
import { committed } from '../../../writes/rows.ts';

const postHeld = (holding: MembershipRow) =>
  problem(['postId'], 'CONFLICT', `the post is held (membership ${holding.id}, from ${holding.validFrom}): end that membership first`);

export const appointMember: NonNullable<MutationResolvers['appointMember']> = async (_parent, { input }, context) => {
  const problems: Problems = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  if (!input.personId.trim()) problems.push(problem(['personId'], 'REQUIRED', 'who is appointed'));
  // This slice cannot read the posts: the id itself says which organisation and role the seat has.
  const post = postId(problems, 'postId', input.postId);
  if (post && post.organisationId !== input.organisationId) {
    problems.push(problem(['organisationId'], 'INVALID', `the post belongs to ${post.organisationId}`));
  }
  if (input.from < earliestDate || input.from > addYears(today(), 1))
    problems.push(problem(['from'], 'INVALID', `between ${earliestDate} and a year from today`));
  if (problems.length > 0 || !post) return { membership: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    context.database.db,
    {
      schema: 'people',
      operation: 'appointMember',
      caller: context.caller,
      idempotencyKey: input.idempotencyKey,
      // A concurrent appointment to the same post got there first (one open membership per post).
      explain: (error) =>
        violatedConstraint(error) === 'memberships_open_post_idx'
          ? [problem(['postId'], 'CONFLICT', 'the post was filled a moment ago: reload it')]
          : null,
    },
    async ({ tx, audit }) => {
      const [person] = await tx
        .select({ id: persons.id, birthDate: persons.birthDate })
        .from(persons)
        .where(eq(persons.id, input.personId));
      if (!person) throw new InputError([problem(['personId'], 'NOT_FOUND', 'no person has this id')]);
      if (addYears(person.birthDate, 18) > input.from)
        throw new InputError([problem(['from'], 'INVALID', 'the person is not yet 18 on this day')]);
      const held = await tx.select().from(memberships).where(eq(memberships.postId, input.postId)).orderBy(asc(memberships.validFrom));
      const holding = held.find((membership) => membership.validTo === null);
      if (holding) throw new InputError([postHeld(holding)]);
      // Ended periods of one post never overlap: the new one starts after the latest ended.
      const lastDay = held.reduce<string | null>(
        (latest, membership) => (latest === null || membership.validTo! > latest ? membership.validTo : latest),
        null,
      );
      if (lastDay !== null && input.from <= lastDay) {
        throw new InputError([problem(['from'], 'INVALID', `the post was held until ${lastDay}: start on ${nextDay(lastDay)} or later`)]);
      }
      const row: MembershipRow = {
        id: `mem-${randomUUID()}`,
        personId: person.id,
        postId: input.postId,
        organisationId: post.organisationId,
        role: post.role,
        validFrom: input.from,
        validTo: null,
        endReason: null,
        version: 1,
      };
      await tx.insert(memberships).values(row);
      await audit({ entityType: 'Membership', entityId: row.id, operation: 'appointMember', before: null, after: row });
      return row.id;
    },
  );
  if (!outcome.ok) return { membership: null, replayed: false, errors: outcome.problems };
  context.loaders.membershipsByPerson.clear(input.personId);
  context.loaders.membershipsByPost.clear(input.postId);
  return { membership: await committed(context).membership(outcome.value), replayed: outcome.replayed, errors: [] };
};

export const endMembership: NonNullable<MutationResolvers['endMembership']> = async (_parent, { input }, context) => {
  const problems: Problems = [];
  const reason = requiredText(problems, 'reason', input.reason, 500, 'why the membership ended');
  if (input.on > today()) problems.push(problem(['on'], 'INVALID', 'not in the future: end the membership on its last day'));
  if (problems.length > 0) return { membership: null, errors: problems };

  const outcome = await runMutation(
    context.database.db,
    { schema: 'people', operation: 'endMembership', caller: context.caller },
    async ({ tx, audit }) => {
      const before = await lockRow(tx, memberships, input.id, ['id'], 'no membership has this id');
      // A stale form is told to reload before it is told what changed.
      const version = nextVersion(before, input.expectedVersion);
      if (before.validTo !== null)
        throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', `the membership ended on ${before.validTo} already`)]);
      if (input.on < before.validFrom)
        throw new InputError([problem(['on'], 'INVALID', `before the membership started (${before.validFrom})`)]);
      const [after] = await tx
        .update(memberships)
        .set({ validTo: input.on, endReason: reason, version })
        .where(eq(memberships.id, before.id))
        .returning();
      await audit({ entityType: 'Membership', entityId: before.id, operation: 'endMembership', before, after });
      return before.id;
    },
  );
  if (!outcome.ok) return { membership: null, errors: outcome.problems };
  const membership = await committed(context).membership(outcome.value);
  if (membership) {
    context.loaders.membershipsByPerson.clear(membership.personId);
    context.loaders.membershipsByPost.clear(membership.postId);
  }
  return { membership, errors: [] };
};
