import { describe, expect, test } from 'vitest';
import { looksLikeCredential, redact, secretValues } from './secrets.ts';

describe('secrets from a project environment', () => {
  test('names that look like credentials', () => {
    for (const name of ['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'WORDPRESS_AUTH_KEY', 'API_TOKEN', 'app_secret', 'DB_PWD', 'AWS_SECRET_ACCESS_KEY']) {
      expect(looksLikeCredential(name), name).toBe(true);
    }
    for (const name of ['POSTGRES_USER', 'PGDATA', 'MYSQL_DATABASE', 'TZ']) expect(looksLikeCredential(name), name).toBe(false);
  });

  test('their values are hidden wherever they appear, longest first; short and empty values are not', () => {
    const secrets = secretValues([{ POSTGRES_PASSWORD: 'hunter2-long', POSTGRES_USER: 'app', EMPTY_TOKEN: '', SHORT_KEY: 'x' }, { ROOT_PASSWORD: 'hunter2' }]);
    expect(secrets).toEqual(['hunter2-long', 'hunter2']);
    expect(redact('auth failed for app with hunter2-long (was hunter2)', secrets)).toBe('auth failed for app with *** (was ***)');
  });
});
