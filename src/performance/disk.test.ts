import { describe, expect, test } from 'vitest';
import { mountHolding, readDiskLine } from './disk.ts';

const MOUNTINFO = [
  '73 49 0:39 / / rw,relatime master:2 - overlay overlay rw,lowerdir=/a,upperdir=/b',
  '74 73 0:42 / /proc rw,nosuid - proc proc rw',
  '90 73 254:0 /var/lib/docker/volumes/v/_data /bench rw,relatime master:1 - ext4 /dev/vda rw,discard',
  '91 73 0:50 / /bench-tmp rw - tmpfs tmpfs rw,size=1048576k',
].join('\n');

describe('where a directory is stored', () => {
  test('the mount at the directory, else its closest parent (the writable layer at /)', () => {
    expect(mountHolding(MOUNTINFO, '/bench')).toEqual({ device: '254:0', mountPoint: '/bench', filesystem: 'ext4', source: '/dev/vda' });
    expect(mountHolding(MOUNTINFO, '/bench/sub')?.mountPoint).toBe('/bench');
    expect(mountHolding(MOUNTINFO, '/benchmark')?.filesystem).toBe('overlay');
    expect(mountHolding(MOUNTINFO, '/bench-tmp')?.filesystem).toBe('tmpfs');
  });

  test("the disk line: a device's name, whether it spins and its size; nothing for a file system without one", () => {
    expect(readDiskLine('vda 0 536870912\n')).toEqual({ disk: '/dev/vda', rotational: false, sizeBytes: 274877906944 });
    expect(readDiskLine('')).toEqual({ disk: null, rotational: null, sizeBytes: null });
  });
});
