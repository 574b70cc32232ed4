// Whether an application came up on restored data, from what it showed: its healthcheck's
// status, its published port's answer, or that it kept running. Pure: the judgement of one
// service, and the sentence that names what happened.

export interface AppObservation {
  service: string;
  /** How it was watched: its healthcheck, its published port, or that it kept running. */
  by: 'healthcheck' | 'port' | 'running';
  /** The container exited (code), or restarted, while it was watched. */
  exitCode?: number;
  restarted?: boolean;
  health?: 'healthy' | 'unhealthy' | 'starting';
  /** What its port answered: an HTTP status with where it redirected and the page's title and first words, or a bare TCP connection. */
  http?: { port: number; status: number; location: string | null; title: string | null; text: string };
  tcp?: { port: number; connected: boolean; error?: string };
  /** It did not say within the time given. */
  timedOut?: boolean;
}

export interface AppJudgement {
  cameUp: boolean;
  detail: string;
}

/** A redirect to an installer (`/wp-admin/install.php`, `/install`): the application found no data of its own. */
const INSTALLER = /\binstall(er)?\b|install\.php/i;

export function judgeApp(seen: AppObservation): AppJudgement {
  if (seen.exitCode !== undefined) return { cameUp: false, detail: `it exited with code ${seen.exitCode}` };
  if (seen.restarted) return { cameUp: false, detail: 'it restarted' };
  if (seen.by === 'healthcheck') {
    if (seen.health === 'healthy') return { cameUp: true, detail: 'its healthcheck reports healthy' };
    return { cameUp: false, detail: seen.health === 'unhealthy' ? 'its healthcheck reports unhealthy' : 'its healthcheck never reported healthy in time' };
  }
  if (seen.by === 'port') {
    if (seen.http) {
      const { port, status, location, title, text } = seen.http;
      const said = `HTTP ${status} on port ${port}${location ? ` (to ${location})` : ''}${title ? `, "${title}"` : ''}`;
      if (status >= 500) return { cameUp: false, detail: `it answers ${said}${text ? `: ${text}` : ''}` };
      if (location && INSTALLER.test(location)) return { cameUp: false, detail: `it answers with its installer (${said}): it does not find its data` };
      return { cameUp: true, detail: `it answers ${said}` };
    }
    if (seen.tcp?.connected) return { cameUp: true, detail: `its port ${seen.tcp.port} accepts connections` };
    return { cameUp: false, detail: `its port ${seen.tcp?.port ?? '?'} never accepted a connection${seen.tcp?.error ? ` (${seen.tcp.error})` : ''}` };
  }
  return seen.timedOut === false || seen.timedOut === undefined
    ? { cameUp: true, detail: 'it kept running without a restart (it has no healthcheck and publishes no port)' }
    : { cameUp: false, detail: 'it did not keep running' };
}

/** A page's title and its first words of text, for the report. */
export function pageWords(html: string): { title: string | null; text: string } {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? null;
  const text = html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { title: title ? decodeEntities(title) : null, text: text.slice(0, 200) };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#8250;|&rsaquo;/g, '›')
    .replace(/&#8211;|&ndash;/g, '–')
    .replace(/&amp;/g, '&');
}
