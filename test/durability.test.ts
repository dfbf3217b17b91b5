import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentToken } from '@gongzhi/gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { kill9, npmStart, query } from './npm-start.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-durability-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// A small district: this test is about the writes, not the dataset.
const start = () => npmStart(dataDir, { DATASET_SCALE: '0.002' });

describe('acknowledged writes on embedded PostgreSQL', () => {
  it('are all there after the process is killed with SIGKILL right after the last acknowledgement', async () => {
    const admin = await developmentToken({ role: 'admin' });
    const clerk = await developmentToken({ role: 'staff', department: 'finance', scopes: ['write:funding'] });

    const first = await start();
    const acknowledged: string[] = [];
    const requests: string[] = [];
    let grantId: string;
    try {
      const grants = await query(
        first.url,
        '{ grants(first: 100) { edges { node { id awardedOn balance { undisbursed { amount } } } } } }',
        {},
        admin,
      );
      expect(grants.errors).toBeUndefined();
      const grant = grants.data.grants.edges.map((e: any) => e.node).find((g: any) => g.balance.undisbursed.amount >= 100);
      expect(grant).toBeDefined();
      grantId = grant.id;
      // 40 writes at once, each acknowledged only after its transaction committed.
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          query(
            first.url,
            `mutation($input: RecordGrantTransactionInput!) { recordGrantTransaction(input: $input) { transaction { id } errors { code message } } }`,
            {
              input: {
                grantId,
                type: 'DISBURSEMENT',
                on: grant.awardedOn,
                amount: 1,
                description: `tranche ${i}`,
                idempotencyKey: `durable-${i}`,
              },
            },
            clerk,
          ),
        ),
      );
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data.recordGrantTransaction.errors).toEqual([]);
        acknowledged.push(answer.data.recordGrantTransaction.transaction.id);
      }
      // And 5 requests from the public (another slice, another database), the last acknowledgement before the kill.
      const { data } = await query(first.url, '{ communities(first: 1) { edges { node { id } } } }');
      for (let i = 0; i < 5; i++) {
        const submitted = await query(
          first.url,
          `mutation($input: SubmitServiceRequestInput!) { submitServiceRequest(input: $input) { request { id } errors { code message } } }`,
          {
            input: {
              communityId: data.communities.edges[0].node.id,
              category: 'ENVIRONMENT',
              description: `Broken street light ${i}`,
              idempotencyKey: `durable-request-${i}`,
            },
          },
        );
        expect(submitted.data.submitServiceRequest.errors).toEqual([]);
        requests.push(submitted.data.submitServiceRequest.request.id);
      }
    } finally {
      await kill9(first);
    }
    expect(new Set(acknowledged).size).toBe(40);

    const second = await start();
    try {
      const after = await query(second.url, 'query($id: ID!) { grant(id: $id) { transactions { id } } }', { id: grantId! }, admin);
      expect(after.errors).toBeUndefined();
      const stored = new Set(after.data.grant.transactions.map((t: any) => t.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      for (const id of requests) {
        const request = await query(second.url, 'query($id: ID!) { serviceRequest(id: $id) { id status } }', { id }, admin);
        expect(request.data.serviceRequest).toEqual({ id, status: 'SUBMITTED' });
      }
      // Their audit entries too, through the gateway's audit log.
      const audit = await query(
        second.url,
        'query($id: ID!) { auditLog(entityId: $id) { edges { node { operation actor } } } }',
        { id: acknowledged[0] },
        admin,
      );
      expect(audit.errors).toBeUndefined();
      expect(audit.data.auditLog.edges.map((e: any) => e.node.operation)).toEqual(['recordGrantTransaction']);
    } finally {
      await kill9(second);
    }
  }, 300_000);
});
