// A Compose project as `docker compose config --format json` prints it: the canonical model,
// overlays, profiles, interpolation and (unless asked not to) path resolution already applied.
// One type for the fields persist reads, shared by the audit (project.ts), the copy's plan
// (copy-plan.ts) and the copy itself (compose-stack.ts): the project is read once.

export interface ComposeModelMount {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
  /** The short syntax's bind: Compose creates a missing host folder (`docker compose config` writes it out). */
  bind?: { create_host_path?: boolean };
}

export interface ComposeModelBuild {
  context?: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
}

export interface ComposeModelPort {
  target: number;
  protocol?: string;
}

export interface ComposeModelService {
  image?: string;
  build?: ComposeModelBuild;
  container_name?: string;
  hostname?: string;
  ports?: ComposeModelPort[];
  environment?: Record<string, string | null>;
  command?: string[] | string | null;
  entrypoint?: string[] | string | null;
  working_dir?: string;
  user?: string;
  healthcheck?: { test?: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string; disable?: boolean };
  volumes?: ComposeModelMount[];
  tmpfs?: string[] | string;
  volumes_from?: string[];
  depends_on?: Record<string, unknown>;
}

export interface ComposeModel {
  name: string;
  services?: Record<string, ComposeModelService>;
  volumes?: Record<string, { name?: string; external?: boolean }>;
  networks?: Record<string, { name?: string; external?: boolean }>;
  'x-persist'?: unknown;
}
