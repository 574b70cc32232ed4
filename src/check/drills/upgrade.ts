// The user's upgrade (x-persist `upgrade.image`), last, so that every other disruption runs on the
// project as it is configured today; judged on the services that name one.
import { type CheckDrill, EVERY_SERVICE, outcome } from './check-drill.ts';

export const upgrade: CheckDrill = {
  ...EVERY_SERVICE,
  name: 'upgrade',
  commands: "docker compose up -d --wait with the upgraded services' new images",
  predictedAs: 'upgrade',
  appliesTo: (audit) => audit.services.some((service) => service.upgrade !== undefined),
  judges: (subject) => subject.service.upgrade !== undefined,
  async run(stack, judged) {
    const images = Object.fromEntries(judged.flatMap((s) => (s.service.upgrade ? [[s.service.service, s.service.upgrade.image]] : [])));
    return outcome(await stack.upgrade(images));
  },
};
