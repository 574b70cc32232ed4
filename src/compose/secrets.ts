// Values from a project's environment whose names look like credentials never reach a report,
// a progress line or evidence: wherever the harness repeats what a tool printed, they show as ***.
const CREDENTIAL_NAME = /PASS(WORD)?|PWD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH|SALT|CERT/i;
/** Shorter values are not hidden: "1" or "yes" would blank out unrelated text. */
const MIN_SECRET_LENGTH = 4;

export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** The values to hide, longest first (a secret that contains another is hidden whole). */
export function secretValues(environments: ReadonlyArray<Readonly<Record<string, string | null | undefined>>>): string[] {
  const values = new Set<string>();
  for (const environment of environments) {
    for (const [name, value] of Object.entries(environment)) {
      if (value && value.length >= MIN_SECRET_LENGTH && looksLikeCredential(name)) values.add(value);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}
