import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestContext } from '../helpers.ts';

describe('operations endpoints and API document', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(() => t.close());

  it('answers health and readiness with the migration state', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const body = ready.json();
    expect(body.status).toBe('ready');
    expect(body.migrations.applied).toBe(body.migrations.known);
    expect(body.migrations.known).toBeGreaterThan(0);
  });

  it('is not ready while migrations are missing', async () => {
    const original = t.platform.database.migrationStatus;
    t.platform.database.migrationStatus = async () => ({ applied: 1, known: 2 });
    try {
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().status).toBe('migrating');
    } finally {
      t.platform.database.migrationStatus = original;
    }
  });

  it('exposes Prometheus metrics', async () => {
    await t.app.inject({ url: '/healthz' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/hoorn_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.body).toContain('hoorn_process_cpu_seconds_total');
  });

  it('generates the OpenAPI document from the route schemas', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/users', '/api/outbox/{id}/retry']));
    expect(doc.paths['/api/users'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['email', 'name', 'role', 'password']),
    );
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('the web app at /', () => {
  it('serves index.html for client routes and JSON 404s for API paths', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-web-'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Hoorn</title>');
    const t = await makeTestApp({ config: { webDist: dist } });
    try {
      const page = await t.app.inject({ url: '/outbox', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>Hoorn</title>');
      expect((await t.app.inject({ url: '/' })).body).toContain('<title>Hoorn</title>');
      const api = await t.app.inject({ url: '/api/nope', headers: { accept: 'text/html' } });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('not_found');
    } finally {
      await t.close();
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
