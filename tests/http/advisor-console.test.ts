import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { advisorConsoleRoutes } from '../../src/http/advisor-console.routes';
import { ROOT } from '../helpers/service';

// The console's headers without a trained service: the same router and static folder as src/service.ts
// (the browser test covers them in the full service).
describe('advisor console routes', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    const app = express();
    app.use(advisorConsoleRoutes());
    app.use(express.static(path.join(ROOT, 'public'), { index: 'index.html' }));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('/advisor redirects to /advisor/', async () => {
    const response = await fetch(`${baseUrl}/advisor`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/advisor/');
  });

  test('the console and its script come with a policy that allows only own scripts', async () => {
    for (const file of ['/advisor/', '/advisor/advisor.js', '/advisor/advisor.css']) {
      const response = await fetch(`${baseUrl}${file}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const html = await (await fetch(`${baseUrl}/advisor/`)).text();
    // No inline script: the policy would block it, and it would be a place for injected data to run.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  test('the console script never parses strings as HTML', () => {
    // Transcripts, notes and names are people's text; they go in with textContent / createElement only.
    const script = fs.readFileSync(path.join(ROOT, 'public', 'advisor', 'advisor.js'), 'utf8');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });

  test('the web chat at / keeps its own headers', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBeNull();
  });
});
