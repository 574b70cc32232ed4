// The bench image as a container: it idles until stopped, and the benchmarks run in it with
// `docker exec`. A throttled one carries `--device-write-iops`, which testcontainers has no
// setting for, so it is set on the engine's host config just before the container is created.
import { HostOnlyContainer } from '../docker/host-only-container.ts';
import { ContainerRunning } from '../docker/running-wait-strategy.ts';

/** Where the benchmarks write: the storage under test is mounted here. */
export const BENCH_DIR = '/bench';

export class BenchContainer extends HostOnlyContainer {
  constructor(image: string) {
    super(image);
    this.withWaitStrategy(new ContainerRunning());
  }

  /** `--device-write-iops DEVICE:RATE`: the engine caps write requests to that disk (cgroup blkio). */
  withDeviceWriteIops(device: string, rate: number): this {
    this.hostConfig.BlkioDeviceWriteIOps = [{ Path: device, Rate: rate }];
    return this;
  }
}
