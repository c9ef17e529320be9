import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { configKeys } from '@ffgate/config';
import { declaredKeys, isStandardKey as isStandard, repoRoot as root } from './declared-keys.ts';

interface ComposeService {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
}

describe('docker-compose.yml', () => {
  // `merge: true`: the file shares settings through YAML merge keys (`<<: *ffgate-env`).
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const ffgateServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
  const known = declaredKeys();

  test('defines the infrastructure and at least the scim service', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'nats', 'scim']));
    expect(ffgateServices.map(([name]) => name)).toContain('scim');
  });

  test('every ffgate service sets only known configuration keys', () => {
    for (const [name, service] of ffgateServices) {
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !known.has(key) && !isStandard(key));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  test('every ffgate service is health-checked on /readyz and waits for healthy dependencies', () => {
    for (const [name, service] of ffgateServices) {
      const check = [service.healthcheck?.test ?? []].flat().join(' ');
      expect({ service: name, readyz: check.includes('/readyz') }).toEqual({ service: name, readyz: true });
      for (const dependency of Object.values(service.depends_on ?? {})) expect(dependency.condition).toBe('service_healthy');
      expect(service.command?.slice(0, 2)).toEqual(['pnpm', '--filter']);
    }
  });

  test('the admin token is required, not defaulted', () => {
    expect(compose.services.scim.environment?.FFGATE_ADMIN_TOKEN).toMatch(/^\$\{FFGATE_ADMIN_TOKEN:\?/);
    expect(compose.services.scim.ports).toContain('8081:8080');
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

  test('the Service selects the Deployment pods', () => {
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'ffgate-scim');
    const deployment = deployments.find((d) => d.metadata.name === 'ffgate-scim');
    expect(service?.spec.selector).toEqual(deployment?.spec.selector.matchLabels);
  });
});
