import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { configKeys } from '@ffgate/config';
import { declaredKeys, isStandardKey as isStandard, repoRoot as root } from './declared-keys.ts';

interface ComposeService {
  build?: unknown;
  command?: string[];
  working_dir?: string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

/** The keys one service's loader accepts: the common keys plus its own `configKey(...)` declarations. */
function keysOfService(service: string): Set<string> {
  const keys = new Set(configKeys.map((k) => k.env));
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  for (const file of walk(join(root, 'services', service, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/configKey\w*\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g)) keys.add(match[1]);
  }
  return keys;
}

/** `30s`, `1m30s` → seconds (the compose duration forms used here). */
function seconds(duration: string | undefined): number {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration ?? '');
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : 0;
}

const SERVICES = ['scim', 'token', 'gateway', 'transcoder'];

describe('docker-compose.yml', () => {
  // `merge: true`: the file shares settings through YAML merge keys (`<<: *ffgate-env`).
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes?: Record<string, unknown>;
  };
  const ffgateServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
  const known = declaredKeys();
  const service = (name: string) => compose.services[name];

  test('defines the infrastructure and all four ffgate services', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'nats', ...SERVICES]));
    expect(ffgateServices.map(([name]) => name).sort()).toEqual([...SERVICES].sort());
  });

  test('every ffgate service sets only known configuration keys', () => {
    for (const [name, service] of ffgateServices) {
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !known.has(key) && !isStandard(key));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  test("every ffgate service sets only keys its own configuration declares", () => {
    for (const [name, service] of ffgateServices) {
      const own = keysOfService(name);
      const foreign = Object.keys(service.environment ?? {}).filter((key) => !own.has(key) && !isStandard(key));
      expect({ service: name, foreign }).toEqual({ service: name, foreign: [] });
    }
  });

  test('every ffgate service runs node directly in its package (SIGTERM reaches it), health-checked on /readyz', () => {
    for (const [name, service] of ffgateServices) {
      const check = [service.healthcheck?.test ?? []].flat().join(' ');
      expect({ service: name, readyz: check.includes('/readyz') }).toEqual({ service: name, readyz: true });
      for (const dependency of Object.values(service.depends_on ?? {})) expect(dependency.condition).toBe('service_healthy');
      expect({ service: name, command: service.command, dir: service.working_dir }).toEqual({
        service: name,
        command: ['node', '--import', '@ffgate/telemetry/register', 'src/main.ts'],
        dir: `/app/services/${name}`,
      });
    }
  });

  test('dependencies: database services wait for postgres and nats, the gateway for token, transcoders only for nats', () => {
    for (const name of ['scim', 'token', 'gateway']) {
      expect(Object.keys(service(name).depends_on ?? {})).toEqual(expect.arrayContaining(['postgres', 'nats']));
      expect(service(name).environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
    }
    expect(Object.keys(service('gateway').depends_on ?? {})).toContain('token');
    expect(Object.keys(service('transcoder').depends_on ?? {})).toEqual(['nats']);
    expect(service('transcoder').environment?.DATABASE_URL).toBeUndefined();
    for (const name of SERVICES) expect(service(name).environment?.NATS_URL).toBe('nats://nats:4222');
  });

  test('secrets are required, not defaulted', () => {
    for (const name of ['scim', 'token', 'gateway']) {
      expect({ name, token: service(name).environment?.FFGATE_ADMIN_TOKEN }).toEqual({ name, token: expect.stringMatching(/^\$\{FFGATE_ADMIN_TOKEN:\?/) });
    }
    expect(service('token').environment?.FFGATE_KEY_ENCRYPTION_KEY).toMatch(/^\$\{FFGATE_KEY_ENCRYPTION_KEY:\?/);
    expect(service('transcoder').environment?.FFGATE_ADMIN_TOKEN).toBeUndefined();
  });

  test('gateway and scim find the token service, and all agree on the issuer', () => {
    const issuers = ['scim', 'token', 'gateway'].map((name) => service(name).environment?.FFGATE_ISSUER);
    expect(new Set(issuers).size).toBe(1);
    expect(issuers[0]).toContain('http://token:8080');
    expect(service('gateway').environment?.FFGATE_TOKEN_URL).toBe('http://token:8080');
    expect(service('scim').environment?.FFGATE_TOKEN_URL).toBe('http://token:8080');
  });

  test('published ports: scim 8081, token 8082, gateway 8083; transcoders none (they scale)', () => {
    expect(service('scim').ports).toContain('8081:8080');
    expect(service('token').ports).toContain('8082:8080');
    expect(service('gateway').ports).toContain('8083:8080');
    expect(service('transcoder').ports).toBeUndefined();
  });

  test('two transcoder replicas share one named media volume with the gateway', () => {
    expect(service('transcoder').deploy?.replicas).toBe(2);
    const mediaVolume = (name: string) => (service(name).volumes ?? []).find((v) => v.split(':')[1] === '/media')?.split(':')[0];
    expect(mediaVolume('gateway')).toBe('media');
    expect(mediaVolume('transcoder')).toBe('media');
    expect(Object.keys(compose.volumes ?? {})).toContain('media');
    expect(service('gateway').environment?.FFGATE_MEDIA_ROOT).toBe('/media');
    expect(service('transcoder').environment?.FFGATE_MEDIA_ROOT).toBe('/media');
  });

  test('a transcoder gets longer to stop than its drain timeout', () => {
    const drain = Number(service('transcoder').environment?.FFGATE_DRAIN_TIMEOUT_SECONDS ?? 30);
    expect(seconds(service('transcoder').stop_grace_period)).toBeGreaterThan(drain);
  });

  test('postgres and nats have health checks', () => {
    expect(compose.services.postgres.healthcheck?.test).toBeDefined();
    expect(compose.services.nats.healthcheck?.test).toBeDefined();
  });
});

describe('deploy/kubernetes', () => {
  const dir = join(root, 'deploy/kubernetes');
  const documents = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) => parseAllDocuments(readFileSync(join(dir, name), 'utf8')).map((doc) => ({ name, doc })));

  test('every manifest parses', () => {
    for (const { name, doc } of documents) expect({ name, errors: doc.errors.map(String) }).toEqual({ name, errors: [] });
  });

  const objects = documents.map(({ doc }) => doc.toJS() as { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> });
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  test('each Deployment probes /readyz for readiness and /healthz for liveness', () => {
    expect(deployments.map((d) => d.metadata.name)).toContain('ffgate-scim');
    for (const deployment of deployments) {
      for (const container of deployment.spec.template.spec.containers) {
        expect(container.readinessProbe.httpGet.path).toBe('/readyz');
        expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      }
    }
  });

  test('Deployments set only known keys, and secrets come from a Secret', () => {
    const known = declaredKeys();
    const configMapKeys = objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.keys(o.data ?? {}));
    for (const key of configMapKeys) expect({ key, known: known.has(key) || isStandard(key) }).toEqual({ key, known: true });
    const secretKeys = new Set(configKeys.filter((k) => k.secret).map((k) => k.env));
    for (const deployment of deployments) {
      for (const container of deployment.spec.template.spec.containers) {
        for (const variable of container.env as Array<{ name: string; value?: string; valueFrom?: unknown }>) {
          expect({ key: variable.name, known: known.has(variable.name) || isStandard(variable.name) }).toEqual({ key: variable.name, known: true });
          if (secretKeys.has(variable.name)) expect({ key: variable.name, value: variable.value }).toEqual({ key: variable.name, value: undefined });
        }
      }
    }
  });

  test('each Service selects its Deployment pods; transcoders need none', () => {
    for (const name of ['ffgate-scim', 'ffgate-token', 'ffgate-gateway']) {
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
      const deployment = deployments.find((d) => d.metadata.name === name);
      expect({ name, selector: service?.spec.selector }).toEqual({ name, selector: deployment?.spec.selector.matchLabels });
      expect(deployment?.spec.template.metadata.labels).toMatchObject(service?.spec.selector);
    }
    expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'ffgate-transcoder')).toBeUndefined();
  });

  const deployment = (name: string) => deployments.find((d) => d.metadata.name === `ffgate-${name}`);
  const container = (name: string) => deployment(name)?.spec.template.spec.containers[0];
  const envValue = (name: string, key: string) => (container(name)?.env as Array<{ name: string; value?: string }>).find((v) => v.name === key)?.value;

  test('every service has a Deployment running node directly in its package, with 2 replicas', () => {
    for (const name of SERVICES) {
      expect({ name, replicas: deployment(name)?.spec.replicas }).toEqual({ name, replicas: 2 });
      expect({ name, dir: container(name)?.workingDir, command: container(name)?.command }).toEqual({
        name,
        dir: `/app/services/${name}`,
        command: ['node', '--import', '@ffgate/telemetry/register', 'src/main.ts'],
      });
    }
  });

  test('Deployments set only keys their own service declares', () => {
    for (const name of SERVICES) {
      const own = keysOfService(name);
      const foreign = (container(name)?.env as Array<{ name: string }>).map((v) => v.name).filter((key) => !own.has(key) && !isStandard(key));
      expect({ name, foreign }).toEqual({ name, foreign: [] });
    }
  });

  test('the transcoders get longer to stop than their drain timeout, and no preStop hook', () => {
    const drain = Number(envValue('transcoder', 'FFGATE_DRAIN_TIMEOUT_SECONDS') ?? 30);
    expect(deployment('transcoder')?.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(drain);
    expect(container('transcoder')?.lifecycle?.preStop).toBeUndefined();
  });

  test('gateway and transcoders mount one ReadWriteMany media claim at FFGATE_MEDIA_ROOT', () => {
    const claim = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'ffgate-media');
    expect(claim?.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const name of ['gateway', 'transcoder']) {
      const volume = (deployment(name)?.spec.template.spec.volumes as Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>).find(
        (v) => v.persistentVolumeClaim?.claimName === 'ffgate-media',
      );
      const mount = (container(name)?.volumeMounts as Array<{ name: string; mountPath: string }>).find((m) => m.name === volume?.name);
      expect({ name, mountPath: mount?.mountPath, root: envValue(name, 'FFGATE_MEDIA_ROOT') }).toEqual({ name, mountPath: '/media', root: '/media' });
    }
  });

  test('every Secret key a Deployment reads is in secret.example.yaml, and kustomization lists every manifest but the example', () => {
    const example = objects.find((o) => o.kind === 'Secret') as { stringData?: Record<string, string> } | undefined;
    for (const d of deployments) {
      for (const variable of d.spec.template.spec.containers[0].env as Array<{ valueFrom?: { secretKeyRef?: { key: string } } }>) {
        const key = variable.valueFrom?.secretKeyRef?.key;
        if (key) expect({ key, inExample: key in (example?.stringData ?? {}) }).toEqual({ key, inExample: true });
      }
    }
    const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const manifests = readdirSync(dir).filter((n) => n.endsWith('.yaml') && n !== 'kustomization.yaml' && n !== 'secret.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
  });
});

describe('docker-compose config (Compose v1, when installed)', () => {
  const hasCompose = (() => {
    try {
      execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const run = (env: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FFGATE_')));
    try {
      execFileSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config', '-q'], { env: { ...clean, ...env }, stdio: 'pipe' });
      return { ok: true, stderr: '' };
    } catch (error) {
      return { ok: false, stderr: String((error as { stderr?: Buffer }).stderr ?? '') };
    }
  };
  const secrets = { FFGATE_ADMIN_TOKEN: 'a'.repeat(24), FFGATE_KEY_ENCRYPTION_KEY: 'k'.repeat(40) };

  (hasCompose ? test : test.skip)('validates with the required secrets set', () => {
    expect(run(secrets)).toEqual({ ok: true, stderr: '' });
  });

  (hasCompose ? test : test.skip)('refuses to start without FFGATE_KEY_ENCRYPTION_KEY', () => {
    const result = run({ FFGATE_ADMIN_TOKEN: secrets.FFGATE_ADMIN_TOKEN });
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('set FFGATE_KEY_ENCRYPTION_KEY');
  });
});
