import { describe, expect, test } from 'vitest';
import type { Audit } from '../report/model.ts';
import { sitePrediction, siteServices } from './site-probe.ts';

const wordpress = { service: 'blog', recognisedAs: 'wordpress' } as Audit['services'][number];

describe("a WordPress site's services", () => {
  test('its database is the service WORDPRESS_DB_HOST names, read with the site’s own login', () => {
    expect(
      siteServices(wordpress, { WORDPRESS_DB_HOST: 'db:3306', WORDPRESS_DB_USER: 'wp', WORDPRESS_DB_PASSWORD: 'pw', WORDPRESS_DB_NAME: 'blog' }, [
        'blog',
        'db',
      ]),
    ).toMatchObject({
      services: { web: 'blog', database: 'db', login: { user: 'wp', password: 'pw', database: 'blog' } },
      kit: { content: 'the WordPress content' },
    });
    expect(siteServices(wordpress, {}, ['blog', 'db'])).toEqual({ reason: 'its database host mysql is not a service of this project' });
    expect(siteServices({ ...wordpress, recognisedAs: 'nginx' }, {}, [])).toBeUndefined();
  });

  test('is predicted kept only where both its files and its rows are', () => {
    expect(sitePrediction('kept', 'kept')).toBe('kept');
    expect(sitePrediction('kept', 'lost')).toBe('lost');
    expect(sitePrediction('lost', 'kept')).toBe('lost');
    expect(sitePrediction(undefined, 'kept')).toBeUndefined();
  });
});
