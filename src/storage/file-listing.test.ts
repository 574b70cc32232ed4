import { describe, expect, test } from 'vitest';
import { compareListings, groupedFingerprint, parseListing, withoutPrefix } from './file-listing.ts';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const OUTPUT = [
  'd 33:33 755 ./wp-content',
  'd 33:33 755 ./wp-content/uploads',
  'f 33:33 644 ./index.php',
  'f 33:33 644 ./wp-content/uploads/a photo.png',
  'f 0:0 600 ./wp-content/uploads/persist-ledger/1',
  `${HASH_A}  ./index.php`,
  `${HASH_B}  ./wp-content/uploads/a photo.png`,
  `${HASH_A}  ./wp-content/uploads/persist-ledger/1`,
].join('\n');

describe('volume file listings', () => {
  test('each entry has its type, owner, mode and (for files) sha256, spaces in names kept', () => {
    const listing = parseListing(OUTPUT);
    expect(listing.get('wp-content/uploads/a photo.png')).toEqual({ type: 'f', owner: '33:33', mode: '644', sha256: HASH_B });
    expect(listing.get('wp-content')?.sha256).toBeNull();
    expect(withoutPrefix(listing, 'wp-content/uploads/persist-ledger').size).toBe(4);
  });

  test('a missing file is named; ownership and mode changes are named too', () => {
    const before = parseListing(OUTPUT);
    const after = parseListing(OUTPUT.replace('f 33:33 644 ./index.php', 'f 0:0 600 ./index.php').replace(/.*a photo.*\n?/g, ''));
    const comparison = compareListings(before, after);
    expect(comparison.identical).toBe(false);
    expect(comparison.lost).toBe(1);
    expect(comparison.differences).toContain('file wp-content/uploads/a photo.png is absent');
    expect(comparison.differences).toContain('file index.php is owned by 0:0, was 33:33, has mode 600, was 644');
  });

  test('identical listings compare identical; the grouped fingerprint changes with any entry', () => {
    const listing = parseListing(OUTPUT);
    expect(compareListings(listing, parseListing(OUTPUT)).identical).toBe(true);
    const grouped = groupedFingerprint(listing);
    expect(grouped['wp-content/uploads/']?.rows).toBe(2);
    expect(grouped['(top level)']?.rows).toBe(2);
    const changed = groupedFingerprint(parseListing(OUTPUT.replace('644 ./index.php', '640 ./index.php')));
    expect(changed['(top level)']?.contentHash).not.toBe(grouped['(top level)']?.contentHash);
  });
});
