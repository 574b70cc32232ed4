import { describe, expect, it } from 'vitest';
import { judgeApp, pageWords } from './app-answer.ts';

const http = (status: number, location: string | null = null, title: string | null = null, text = '') => ({
  service: 'web',
  by: 'port' as const,
  http: { port: 80, status, location, title, text },
});

describe('whether the application came up on the restored data', () => {
  it('by its healthcheck: healthy is up; unhealthy, or never healthy in time, is not', () => {
    expect(judgeApp({ service: 'web', by: 'healthcheck', health: 'healthy' }).cameUp).toBe(true);
    expect(judgeApp({ service: 'web', by: 'healthcheck', health: 'unhealthy' })).toEqual({ cameUp: false, detail: 'its healthcheck reports unhealthy' });
    expect(judgeApp({ service: 'web', by: 'healthcheck', health: 'starting', timedOut: true }).cameUp).toBe(false);
  });

  it('by its port: a page is up; a server error, or a redirect to its installer, is not, and says what it showed', () => {
    expect(judgeApp(http(200, null, 'Shop'))).toEqual({ cameUp: true, detail: 'it answers HTTP 200 on port 80, "Shop"' });
    expect(judgeApp(http(302, 'http://shop/wp-login.php')).cameUp).toBe(true);
    expect(judgeApp(http(500, null, 'WordPress › Error', 'One or more database tables are unavailable.'))).toEqual({
      cameUp: false,
      detail: 'it answers HTTP 500 on port 80, "WordPress › Error": One or more database tables are unavailable.',
    });
    expect(judgeApp(http(302, 'http://shop/wp-admin/install.php')).detail).toMatch(/^it answers with its installer .*: it does not find its data$/);
    expect(judgeApp({ service: 'db', by: 'port', tcp: { port: 6379, connected: true } }).cameUp).toBe(true);
    expect(judgeApp({ service: 'db', by: 'port', tcp: { port: 6379, connected: false, error: 'ECONNREFUSED' } }).cameUp).toBe(false);
  });

  it('an exit or a restart fails whatever else it showed; running on without either is up', () => {
    expect(judgeApp({ service: 'worker', by: 'running', exitCode: 1 })).toEqual({ cameUp: false, detail: 'it exited with code 1' });
    expect(judgeApp({ service: 'worker', by: 'healthcheck', restarted: true, health: 'healthy' }).cameUp).toBe(false);
    expect(judgeApp({ service: 'worker', by: 'running', timedOut: false }).cameUp).toBe(true);
  });

  it("reads a page's title and its first words", () => {
    expect(
      pageWords(
        '<html><head><title>WordPress &rsaquo; Error</title><style>p{}</style></head><body><p>One or more <b>database tables</b> are unavailable.</p></body></html>',
      ),
    ).toEqual({
      title: 'WordPress › Error',
      text: 'One or more database tables are unavailable.',
    });
  });
});
