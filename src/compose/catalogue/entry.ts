// The audit's catalogue entry: the shape a service's folder writes its images' facts in, and for
// those entries the service whose profile judges the image (postgis as postgres).
import type { CatalogueEntry as ImageEntry } from '../../services/catalogue-entry.ts';
import type { ServiceName } from '../../services/registry.ts';

export type { CataloguedPath, CatalogueLayout } from '../../services/catalogue-entry.ts';

export interface CatalogueEntry extends ImageEntry {
  /** The harness's own service profile that judges it (its data directory, PGDATA, --datadir). */
  profile?: ServiceName;
}
