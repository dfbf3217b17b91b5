import { refusalOf } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseResidentId } from '../src/writes/resident-id.ts';
import { useSeededPeople } from './harness.ts';
import { auditOf, clerk, counts, expectRefused, freshIdNumber, writer } from './writers.ts';

const h = useSeededPeople();
const community = 'com-440306001001';

const register = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) {
  replayed errors { path code message } person { id name gender birthYear hukou education community { id } version } } }`;
const registerPersonal = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) {
  replayed errors { path code } person { id name version idNumber phone address birthDate } } }`;
const update = `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) {
  errors { path code message } person { id name hukou education community { id } version } } }`;
const readPerson = `query($id: ID!) { person(id: $id) { id name gender birthYear hukou education community { id } idNumber phone address birthDate version } }`;

const registration = (n: number, change: Record<string, unknown> = {}) => ({
  name: '林晓燕',
  idNumber: freshIdNumber(n),
  gender: 'FEMALE',
  birthDate: '1988-06-15',
  hukou: 'NON_LOCAL',
  communityId: community,
  education: 'BACHELOR',
  phone: '13812345678',
  address: '深圳市宝安区新安街道海滨社区8栋1203',
  idempotencyKey: `register-${n}`,
  ...change,
});

describe('GB 11643 resident ID numbers', () => {
  it("reads the standard's own example and refuses every other check character", () => {
    expect(parseResidentId('11010519491231002X', '2025-01-01')).toEqual({
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'FEMALE',
    });
    expect(parseResidentId(' 11010519491231002x ', '2025-01-01')).toMatchObject({ idNumber: '11010519491231002X' });
    for (const wrong of '0123456789') expect(typeof parseResidentId(`11010519491231002${wrong}`, '2025-01-01'), wrong).toBe('string');
    // Mistyped digits anywhere are caught by the check character.
    for (let i = 0; i < 17; i++) {
      const digit = String((Number('11010519491231002X'[i]) + 1) % 10);
      const typo = `11010519491231002X`.slice(0, i) + digit + `11010519491231002X`.slice(i + 1);
      expect(typeof parseResidentId(typo, '2025-01-01'), typo).toBe('string');
    }
    expect(parseResidentId('440306209912310011', '2025-01-01')).toMatch(/no date of birth/);
  });
});

describe('registerPerson', () => {
  it('registers a resident in one transaction, audited with the personal fields masked, and reads back', async () => {
    const input = registration(1, {
      idNumber: freshIdNumber(1, 'MALE').toLowerCase(),
      gender: 'MALE',
      name: ' 阿卜杜拉·买买提 ',
      phone: '+86 139-0000-1234',
    });
    const { registerPerson: result } = await h.data(register, { input }, clerk);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.person).toMatchObject({
      name: '阿卜杜拉·买买提',
      gender: 'MALE',
      birthYear: 1988,
      hukou: 'NON_LOCAL',
      education: 'BACHELOR',
      community: { id: community },
      version: 1,
    });
    const { person } = await h.data(readPerson, { id: result.person.id }, clerk);
    expect(person).toMatchObject({
      idNumber: freshIdNumber(1, 'MALE'),
      phone: '13900001234',
      birthDate: '1988-06-15',
      address: input.address,
    });

    const [entry, ...more] = await auditOf(h, result.person.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ entityType: 'Person', operation: 'registerPerson', actorRole: 'staff', actor: 'clerk-2', before: null });
    expect(entry.after).toMatchObject({
      id: result.person.id,
      name: '阿卜杜拉·买买提',
      idNumber: `${'*'.repeat(14)}${freshIdNumber(1, 'MALE').slice(-4)}`,
      phone: '*******1234',
      address: '[withheld]',
      birthDate: '1988-**-**',
      version: 1,
    });
    // Nothing personal in clear anywhere in the stored entry.
    const [stored] = await h.rows<{ text: string }>(
      sql`select before::text || after::text as text from people.audit_log where entity_id = ${result.person.id}`,
    );
    for (const secret of [freshIdNumber(1, 'MALE'), freshIdNumber(1, 'MALE').slice(0, 14), '13900001234', '海滨社区8栋', '1988-06-15'])
      expect(stored!.text).not.toContain(secret);
  });

  it('answers a writer without read:personal the person, with the personal fields refused', async () => {
    const result = await h.query(registerPersonal, { input: registration(2, { phone: '0755 2777 1234' }) }, writer);
    expect(result.data?.registerPerson).toMatchObject({
      errors: [],
      replayed: false,
      person: { name: '林晓燕', version: 1, idNumber: null, phone: null, address: null, birthDate: null },
    });
    expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code]).sort()).toEqual(
      ['address', 'birthDate', 'idNumber', 'phone'].map((field) => [`registerPerson.person.${field}`, 'FORBIDDEN']),
    );
    // Registered all the same, with what was written.
    const { person } = await h.data(readPerson, { id: result.data!.registerPerson.person.id }, clerk);
    expect(person).toMatchObject({ idNumber: freshIdNumber(2), phone: '0755-27771234' });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const [seeded] = await h.rows<{ id_number: string }>(sql`select id_number from people.persons order by id limit 1`);
    const valid = freshIdNumber(3);
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const before = await counts(h);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
      [{ name: '  ' }, ['name'], 'REQUIRED'],
      [{ name: 'Zhang3' }, ['name'], 'INVALID'],
      [{ name: '林'.repeat(51) }, ['name'], 'INVALID'],
      [{ idNumber: wrongCheck }, ['idNumber'], 'INVALID'],
      [{ idNumber: valid.slice(0, 15) }, ['idNumber'], 'INVALID'],
      [{ idNumber: '' }, ['idNumber'], 'REQUIRED'],
      [{ idNumber: `99${valid.slice(2)}` }, ['idNumber'], 'INVALID'],
      [{ birthDate: '1988-06-16' }, ['birthDate'], 'INVALID'],
      [{ gender: 'MALE' }, ['gender'], 'INVALID'],
      [{ communityId: 'community-1' }, ['communityId'], 'INVALID'],
      [{ communityId: 'com-440306999999' }, ['communityId'], 'NOT_FOUND'],
      [{ phone: '12345' }, ['phone'], 'INVALID'],
      [{ phone: '1381234567x' }, ['phone'], 'INVALID'],
      [{ phone: ' ' }, ['phone'], 'REQUIRED'],
      [{ address: '' }, ['address'], 'REQUIRED'],
      [{ address: '路'.repeat(201) }, ['address'], 'INVALID'],
      [
        { idNumber: seeded!.id_number, birthDate: parsed(seeded!.id_number).birthDate, gender: parsed(seeded!.id_number).gender },
        ['idNumber'],
        'CONFLICT',
      ],
    ];
    for (const [change, path, code] of cases) {
      const { registerPerson: result } = await h.data(register, { input: registration(3, change) }, clerk);
      expect(result.person, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
      expect(result.errors[0].message.length).toBeGreaterThan(5);
    }
    // Several problems at once are answered together.
    const { registerPerson: many } = await h.data(register, { input: registration(3, { name: '', phone: '1', address: '' }) }, clerk);
    expect(many.errors.map((e: any) => e.path[0]).sort()).toEqual(['address', 'name', 'phone']);
    expect(await counts(h)).toEqual(before);
  });

  it('refuses a second person with the same ID number, however it arrives', async () => {
    const first = await h.data(register, { input: registration(4) }, clerk);
    expect(first.registerPerson.errors).toEqual([]);
    const before = await counts(h);
    const again = await h.data(register, { input: registration(4, { idempotencyKey: 'register-4-other', name: '林晓' }) }, writer);
    expect(again.registerPerson).toMatchObject({ person: null, errors: [{ path: ['idNumber'], code: 'CONFLICT' }] });
    // The database itself refuses it too (unique index), whoever writes.
    const refusal = await refusalOf(() =>
      h.database.asOwner((tx) =>
        tx.execute(sql`insert into people.persons (id, name, gender, birth_year, hukou, community_id, education, id_number, phone, address, birth_date)
          select 'per-copy', name, gender, birth_year, hukou, community_id, education, id_number, phone, address, birth_date from people.persons where id = ${first.registerPerson.person.id}`),
      ),
    );
    expect(refusal).toContain('persons_id_number_idx');
    // 50 concurrent registrations of one new number under 50 keys: one person.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, k) => h.data(register, { input: registration(5, { idempotencyKey: `register-5-${k}` }) }, clerk)),
    );
    const registered = answers.filter((a: any) => a.registerPerson.person !== null);
    expect(registered).toHaveLength(1);
    expect(
      answers.filter((a: any) => a.registerPerson.errors[0]?.code === 'CONFLICT' && a.registerPerson.errors[0].path[0] === 'idNumber'),
    ).toHaveLength(49);
    expect((await counts(h)).persons).toBe(before.persons + 1);
  });

  it('answers 50 concurrent retries of one registration with one person, the same to each', async () => {
    const before = await counts(h);
    const input = registration(6, { idempotencyKey: 'register-retry-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(register, { input }, clerk)));
    const ids = new Set(answers.map((a: any) => a.registerPerson.person.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.registerPerson.replayed)).toHaveLength(1);
    const after = await counts(h);
    expect([after.persons, after.audit_log, after.idempotency_keys]).toEqual([
      before.persons + 1,
      before.audit_log + 1,
      before.idempotency_keys + 1,
    ]);
    const again = await h.data(register, { input }, clerk);
    expect(again.registerPerson).toMatchObject({ replayed: true, person: { id: [...ids][0] } });
  });

  it('is refused to the public, analysts, partners and staff without write:people', async () => {
    await expectRefused(h, register, registration(7));
  });
});

const parsed = (idNumber: string) => parseResidentId(idNumber, '2100-01-01') as Exclude<ReturnType<typeof parseResidentId>, string>;

describe('updatePerson', () => {
  const registered = async (n: number) => (await h.data(register, { input: registration(n) }, clerk)).registerPerson.person;

  it('changes where a resident lives and how to reach them, bumps the version, and audits before → after masked', async () => {
    const person = await registered(10);
    const input = {
      id: person.id,
      expectedVersion: 1,
      communityId: 'com-440306001002',
      phone: '13987654321',
      address: '深圳市宝安区新安街道上川社区2栋101',
      hukou: 'LOCAL',
    };
    const { updatePerson: result } = await h.data(update, { input }, writer);
    expect(result).toMatchObject({
      errors: [],
      person: { id: person.id, hukou: 'LOCAL', community: { id: 'com-440306001002' }, version: 2 },
    });
    const { person: read } = await h.data(readPerson, { id: person.id }, clerk);
    expect(read).toMatchObject({
      phone: '13987654321',
      address: input.address,
      hukou: 'LOCAL',
      name: '林晓燕',
      idNumber: freshIdNumber(10),
      version: 2,
    });

    const entries = await auditOf(h, person.id);
    expect(entries.map((e: any) => e.operation)).toEqual(['registerPerson', 'updatePerson']);
    const { before, after, actor } = entries[1];
    expect(actor).toBe('clerk-1');
    expect(before).toMatchObject({
      version: 1,
      communityId: community,
      phone: '*******5678',
      idNumber: `${'*'.repeat(14)}${freshIdNumber(10).slice(-4)}`,
      address: '[withheld]',
    });
    expect(after).toMatchObject({
      version: 2,
      communityId: 'com-440306001002',
      hukou: 'LOCAL',
      phone: '*******4321',
      address: '[withheld]',
      birthDate: '1988-**-**',
    });
    expect(JSON.stringify(entries)).not.toContain('13987654321');
  });

  it('answers the person as is for an input that changes nothing, without a new version or audit entry', async () => {
    const person = await registered(11);
    const before = await counts(h);
    const { updatePerson: result } = await h.data(
      update,
      { input: { id: person.id, expectedVersion: 1, phone: '138 1234 5678', name: '林晓燕' } },
      writer,
    );
    expect(result).toMatchObject({ errors: [], person: { version: 1 } });
    expect(await counts(h)).toEqual(before);
  });

  it('answers every bad input and stale version with a field error, and changes nothing', async () => {
    const person = await registered(12);
    await h.data(update, { input: { id: person.id, expectedVersion: 1, education: 'MASTER' } }, writer);
    const before = await counts(h);
    const [row] = await h.rows(sql`select * from people.persons where id = ${person.id}`);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ expectedVersion: 1, phone: '13900000000' }, ['expectedVersion'], 'CONFLICT'],
      [{ expectedVersion: 3, phone: '13900000000' }, ['expectedVersion'], 'CONFLICT'],
      [{ id: 'per-nobody' }, ['id'], 'NOT_FOUND'],
      [{ name: ' ' }, ['name'], 'REQUIRED'],
      [{ name: '12' }, ['name'], 'INVALID'],
      [{ phone: '23812345678' }, ['phone'], 'INVALID'],
      [{ address: '' }, ['address'], 'REQUIRED'],
      [{ communityId: 'com-12' }, ['communityId'], 'INVALID'],
      [{ communityId: 'com-440306999999' }, ['communityId'], 'NOT_FOUND'],
    ];
    for (const [change, path, code] of cases) {
      const { updatePerson: result } = await h.data(update, { input: { id: person.id, expectedVersion: 2, ...change } }, writer);
      expect(result.person, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await counts(h)).toEqual(before);
    expect(await h.rows(sql`select * from people.persons where id = ${person.id}`)).toEqual([row]);
  });

  it('lets exactly one of 50 concurrent updates with the same expectedVersion win', async () => {
    const person = await registered(13);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        h.data(update, { input: { id: person.id, expectedVersion: 1, phone: `1380000${String(k).padStart(4, '0')}` } }, writer),
      ),
    );
    const won = answers.filter((a: any) => a.updatePerson.errors.length === 0);
    expect(won).toHaveLength(1);
    expect(
      answers.filter((a: any) => a.updatePerson.errors[0]?.code === 'CONFLICT' && a.updatePerson.errors[0].path[0] === 'expectedVersion'),
    ).toHaveLength(49);
    const [row] = await h.rows<{ version: number; phone: string }>(sql`select version, phone from people.persons where id = ${person.id}`);
    expect(row!.version).toBe(2);
    expect(won[0]!.updatePerson.person.version).toBe(2);
    expect((await auditOf(h, person.id)).filter((e: any) => e.operation === 'updatePerson')).toHaveLength(1);
    // The winner's phone is the one stored.
    const winner = answers.findIndex((a: any) => a.updatePerson.errors.length === 0);
    expect(row!.phone).toBe(`1380000${String(winner).padStart(4, '0')}`);
  });

  it('is refused to the public, analysts, partners and staff without write:people', async () => {
    const person = await registered(14);
    await expectRefused(h, update, { id: person.id, expectedVersion: 1, phone: '13900000000' });
    const [row] = await h.rows<{ version: number }>(sql`select version from people.persons where id = ${person.id}`);
    expect(row!.version).toBe(1);
  });
});
