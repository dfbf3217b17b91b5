import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { callerOfAuthorization, tokenSettings } from '../src/tokens.ts';

const folder = mkdtempSync(join(tmpdir(), 'gongzhi-keys-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const base = { JWT_ALGORITHM: 'ES256' as const, JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'gongzhi-graph' };
const sign = (key: Parameters<SignJWT['sign']>[0], alg: string, claims: Record<string, unknown> = { role: 'analyst' }) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg, kid: 'k1' })
    .setIssuer(base.JWT_ISSUER)
    .setAudience(base.JWT_AUDIENCE)
    .setExpirationTime('5m')
    .sign(key);

describe('callers’ tokens from an identity provider', () => {
  it('verifies tokens against a PEM public key file, and only with its algorithm', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const file = join(folder, 'idp.pem');
    writeFileSync(file, await exportSPKI(publicKey));
    const settings = await tokenSettings({ ...base, JWT_PUBLIC_KEY_FILE: file }, true);
    expect(settings.algorithms).toEqual(['ES256']);
    expect(await callerOfAuthorization(`Bearer ${await sign(privateKey, 'ES256')}`, settings)).toMatchObject({ role: 'analyst' });

    // Algorithm confusion: an HS256 token keyed with the public key's text is refused.
    const confused = await sign(new TextEncoder().encode(await exportSPKI(publicKey)), 'HS256');
    await expect(callerOfAuthorization(`Bearer ${confused}`, settings)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    // Another key pair's token is refused.
    const stranger = await generateKeyPair('ES256');
    await expect(callerOfAuthorization(`Bearer ${await sign(stranger.privateKey, 'ES256')}`, settings)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('verifies tokens against a JWKS file by key id', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const file = join(folder, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
    const settings = await tokenSettings({ ...base, JWT_PUBLIC_KEY_FILE: file }, true);
    const token = await sign(privateKey, 'RS256', { role: 'partner', org: 'org-so-001', sub: 'someone' });
    expect(await callerOfAuthorization(`Bearer ${token}`, settings)).toEqual({
      role: 'partner',
      subject: 'someone',
      organisationId: 'org-so-001',
      department: null,
      scopes: [],
    });
  });

  it('takes one key source, and in production requires one', async () => {
    await expect(tokenSettings({ ...base, JWT_SECRET: 's'.repeat(40), JWT_JWKS_URL: 'https://id.example/jwks' }, false)).rejects.toThrow(
      /set one/,
    );
    await expect(tokenSettings(base, true)).rejects.toThrow(/required in production/);
    expect((await tokenSettings(base, false)).algorithms).toEqual(['HS256']);
  });
});
