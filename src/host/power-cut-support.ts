// Whether power cuts can run here: the disks are the engine host's loop devices and mounts, so
// the engine must run on this host, and this process must be root with the tools to make them.
import { access } from 'node:fs/promises';
import { execa } from 'execa';

const TOOLS = [
  { command: 'mkfs.xfs', from: 'xfsprogs' },
  { command: 'mkfs.ext4', from: 'e2fsprogs' },
  { command: 'e2fsck', from: 'e2fsprogs' },
  { command: 'losetup', from: 'util-linux' },
] as const;

/** What the engine says of itself: its OperatingSystem (Docker Desktop says so there). */
export interface EngineHost {
  operatingSystem: string;
}

/** Undefined when power cuts can run here; otherwise one sentence saying what is missing. */
export async function powerCutUnsupported(engine: EngineHost, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dockerHost = env.DOCKER_HOST ?? '';
  if (dockerHost !== '' && !dockerHost.startsWith('unix://')) {
    // Only the scheme: the rest of the address may carry a user name.
    return `the Docker engine is remote (DOCKER_HOST is a ${dockerHost.split(':')[0]}:// address): a power cut needs the engine on this host, whose disks it cuts`;
  }
  if (/docker desktop/i.test(engine.operatingSystem)) {
    return "the Docker engine runs in Docker Desktop's virtual machine, whose disks this host cannot cut";
  }
  if (process.getuid?.() !== 0) return 'power cuts need root on the engine host (loop devices and mounts): run as root';
  if (!(await exists('/dev/loop-control'))) return 'this host has no loop devices (/dev/loop-control is missing): load the loop module';
  for (const tool of TOOLS) {
    const found = await execa('sh', ['-c', `command -v ${tool.command}`], { reject: false });
    if (found.exitCode !== 0) return `${tool.command} is missing: install ${tool.from} (Debian: apt-get install ${tool.from})`;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
