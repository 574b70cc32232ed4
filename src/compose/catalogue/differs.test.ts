import { describe, expect, test } from 'vitest';
import { catalogueEntry, layoutFor } from './catalogue.ts';
import { catalogueDiffers } from './differs.ts';

const postgres = catalogueEntry('postgres');
if (!postgres) throw new Error('postgres is catalogued');

describe('an image read beside its catalogue entry', () => {
  test('the same VOLUMEs, in any order: nothing to say', () => {
    const mongo = catalogueEntry('mongo');
    if (!mongo) throw new Error('mongo is catalogued');
    const read = { source: 'local-image', facts: { volumes: ['/data/configdb', '/data/db'] } };
    expect(catalogueDiffers('db', 'mongo:7', read, { entry: mongo, layout: layoutFor(mongo, '7') })).toBeUndefined();
  });

  test("other VOLUMEs: a note naming both, and the image's own are used", () => {
    const read = { source: 'registry', facts: { volumes: ['/var/lib/postgresql'] } };
    const finding = catalogueDiffers('db', 'postgres:17', read, { entry: postgres, layout: layoutFor(postgres, '17') });
    expect(finding).toMatchObject({ service: 'db', severity: 'info', rule: 'catalogue-differs', path: 'postgres:17' });
    expect(finding?.message).toContain('declares the VOLUMEs /var/lib/postgresql; the catalogue records /var/lib/postgresql/data');
  });

  test('an image the catalogue does not know: nothing to compare', () => {
    expect(catalogueDiffers('app', 'acme/app:1', { source: 'local-image', facts: { volumes: ['/x'] } }, undefined)).toBeUndefined();
  });
});
