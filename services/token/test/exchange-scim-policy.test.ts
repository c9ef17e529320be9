import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { createVerifier, feedRevocations, RevocationView, type RevocationFeed } from '@ffgate/verifier';
import { waitFor } from '@ffgate/testing';
import { basic, createClient, decodePayload, FakeIdp, introspect, mint, postForm, projected, runService, type RunningService } from './harness.ts';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const IDP_ISS = 'https://idp.example.test/';
const IDP2_ISS = 'https://idp2.example.test/';

/** RFC 8693 token exchange, SCIM access tokens for IdP connections, and policy reload at run time. */
describe('token service: exchange, SCIM OAuth, policy reload', () => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let idp: FakeIdp;
  let idpKey: { privateKey: CryptoKey; kid: string };
  let idp2Key: { privateKey: CryptoKey; kid: string };
  let jwksServer: Server;
  let dir: string;
  let policyFile: string;
  let view: RevocationView;
  let feed: RevocationFeed;

  const policy = (broadcastProfiles: string[]) =>
    `version: 1\ndefaults: { profiles: [h264-720p], queues: [default], maxRunning: 2, maxQueued: 100 }\nrules:\n  - name: broadcast\n    match: { department: Broadcast }\n    grant: { profiles: [${broadcastProfiles.join(', ')}], queues: [broadcast], maxRunning: 4 }\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-token-'));
    policyFile = join(dir, 'policy.yaml');
    await writeFile(policyFile, policy(['h264-1080p', 'hevc-1080p']));

    const k1 = await generateKeyPair('ES256', { extractable: true });
    idpKey = { privateKey: k1.privateKey, kid: 'idp-1' };
    const jwksFile = join(dir, 'idp-jwks.json');
    await writeFile(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(k1.publicKey)), kid: 'idp-1', alg: 'ES256' }] }));

    // a second IdP whose keys are served over HTTP
    const k2 = await generateKeyPair('RS256', { extractable: true });
    idp2Key = { privateKey: k2.privateKey, kid: 'idp2-1' };
    const jwks2 = JSON.stringify({ keys: [{ ...(await exportJWK(k2.publicKey)), kid: 'idp2-1', alg: 'RS256' }] });
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks2));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', () => resolve()));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/keys`;

    const trustedIssuers = JSON.stringify([
      { name: 'okta', issuer: IDP_ISS, jwksFile, audience: 'api://ffgate', claim: 'email', mapTo: 'email', algorithms: ['ES256'] },
      { name: 'entra', issuer: IDP2_ISS, jwksUrl, audience: ['ffgate-app'], claim: 'preferred_username', mapTo: 'userName', algorithms: ['RS256'] },
    ]);

    database = await openDatabase();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus, config: { trustedIssuers, policy: policyFile } });
    idp = new FakeIdp(bus);
    view = new RevocationView();
    feed = await feedRevocations(bus, view);
  });
  afterAll(async () => {
    await feed.stop();
    await running.close();
    await bus.close();
    await database.close();
    jwksServer.close();
    await rm(dir, { recursive: true, force: true });
  });

  const idpToken = (claims: Record<string, unknown>, opts: { iss?: string; aud?: string; exp?: string; key?: { privateKey: CryptoKey; kid: string }; alg?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: (opts.key ?? idpKey).kid })
      .setIssuer(opts.iss ?? IDP_ISS)
      .setAudience(opts.aud ?? 'api://ffgate')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign((opts.key ?? idpKey).privateKey);
  const exchange = (subject_token: string, headers: Record<string, string> = {}) =>
    postForm(`${running.url}/oauth2/token`, { grant_type: EXCHANGE, subject_token, subject_token_type: JWT_TYPE }, headers);

  test('an IdP token for the configured audience is exchanged for a job credential of the mapped user', async () => {
    await idp.create('liz', { emails: [{ value: 'Liz@Corp.example', primary: true }] });
    await projected(database, 'liz', 1);
    const r = await exchange(await idpToken({ email: 'liz@corp.example', sub: 'okta-123' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', issued_token_type: JWT_TYPE, expires_in: 600 });
    const claims = decodePayload(r.body.access_token);
    expect(claims).toMatchObject({ sub: 'liz', aud: 'ffgate', client_id: 'exchange:okta', profiles: ['h264-720p'] });
    const verifier = createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json` }, revocations: view });
    await expect(verifier.verify(r.body.access_token)).resolves.toMatchObject({ sub: 'liz' });

    // the second IdP, keys fetched over HTTP, mapping by userName
    const r2 = await exchange(await idpToken({ preferred_username: 'LIZ@example.com' }, { iss: IDP2_ISS, aud: 'ffgate-app', key: idp2Key, alg: 'RS256' }));
    expect(r2.status).toBe(200);
    expect(decodePayload(r2.body.access_token)).toMatchObject({ sub: 'liz', client_id: 'exchange:entra' });

    // an authenticated pipeline client becomes the credential's client_id
    const client = await createClient(running.url, { userId: 'liz' });
    const r3 = await exchange(await idpToken({ email: 'liz@corp.example' }), { authorization: basic(client.id, client.secret) });
    expect(decodePayload(r3.body.access_token).client_id).toBe(client.id);
  });

  test.each([
    ['another audience', { aud: 'api://other' }],
    ['an expired token', { exp: '-10m' }],
    ['an untrusted issuer', { iss: 'https://evil.example/' }],
    ['a key of another IdP', { key: 'idp2' }],
  ])('exchange refuses %s with invalid_grant', async (_name, opts) => {
    const o = { ...opts, ...((opts as { key?: string }).key === 'idp2' ? { key: idp2Key, alg: 'RS256' } : {}) } as Parameters<typeof idpToken>[1];
    const r = await exchange(await idpToken({ email: 'liz@corp.example' }, o));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
  });

  test('exchange refuses an HS256 token keyed with public material, unknown users and deactivated users', async () => {
    const hs = await new SignJWT({ email: 'liz@corp.example' }).setProtectedHeader({ alg: 'HS256', kid: 'idp-1' }).setIssuer(IDP_ISS).setAudience('api://ffgate').setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await exchange(hs)).body.error).toBe('invalid_grant');
    expect((await exchange(await idpToken({ email: 'nobody@corp.example' }))).body.error).toBe('invalid_grant');
    await idp.create('mo', { emails: [{ value: 'mo@corp.example' }] });
    await idp.deactivate('mo');
    await projected(database, 'mo', 2);
    const r = await exchange(await idpToken({ email: 'mo@corp.example' }));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
  });

  test('an IdP connection client gets a SCIM access token that verifyScimAccessToken accepts until it is disabled', async () => {
    const scimClient = await createClient(running.url, { scope: 'scim' }, 'entra-provisioning');
    const r = await mint(running.url, scimClient, { scope: 'scim' });
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe('scim');
    const claims = decodePayload(r.body.access_token);
    expect(claims).toMatchObject({ aud: 'ffgate-scim', sub: scimClient.id, scope: 'scim' });
    await expect(running.service.verifyScimAccessToken(r.body.access_token)).resolves.toEqual({ id: scimClient.id, name: 'entra-provisioning' });

    // a job credential is not a SCIM token, and a SCIM token is not a job credential
    await idp.create('ned');
    await projected(database, 'ned', 1);
    const job = (await mint(running.url, await createClient(running.url, { userId: 'ned' }))).body.access_token;
    await expect(running.service.verifyScimAccessToken(job)).resolves.toBeNull();
    const verifier = createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json` } });
    await expect(verifier.verify(r.body.access_token)).rejects.toMatchObject({ code: 'FFGATE_CRED_AUDIENCE' });
    await expect(running.service.verifyScimAccessToken('garbage')).resolves.toBeNull();

    await fetch(`${running.url}/admin/v1/clients/${scimClient.id}/disable`, { method: 'POST', headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } });
    await expect(running.service.verifyScimAccessToken(r.body.access_token)).resolves.toBeNull();
  });

  test('a policy reload that takes a profile away revokes the credentials carrying it', async () => {
    await idp.create('ola', { enterprise: { employeeNumber: null, costCenter: null, organization: null, division: null, department: 'Broadcast', manager: null } });
    await projected(database, 'ola', 1);
    const client = await createClient(running.url, { userId: 'ola' });
    const token = (await mint(running.url, client)).body.access_token as string;
    expect(decodePayload(token).profiles).toContain('hevc-1080p');
    const verifier = createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json` }, revocations: view });
    await verifier.verify(token);

    await writeFile(policyFile, policy(['h264-1080p']));
    const next = await running.service.reloadPolicy();
    expect(next.document.rules[0]!.grant.profiles).toEqual(['h264-1080p']);
    await waitFor(async () => (await introspect(running.url, token)).body.active === false, { message: 'revoked after the policy reload' });
    await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));
    expect(decodePayload((await mint(running.url, client)).body.access_token).profiles).toEqual(['h264-1080p', 'h264-720p']);

    // an invalid edit keeps the policy in force
    await writeFile(policyFile, 'version: 1\nrules: [ { name: x } ]\n');
    const kept = await running.service.reloadPolicy();
    expect(kept.digest).toBe(next.digest);
  });
});
