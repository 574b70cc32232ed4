// Just enough XML-RPC for WordPress's wp.newPost and wp.uploadFile: the API WordPress offers
// over HTTP with a user name and password, no browser or cookies needed.
export type XmlRpcValue = string | number | boolean | Buffer | { [name: string]: XmlRpcValue };

export function methodCall(method: string, params: XmlRpcValue[]): string {
  const encoded = params.map((p) => `<param><value>${encode(p)}</value></param>`).join('');
  return `<?xml version="1.0"?><methodCall><methodName>${escapeXml(method)}</methodName><params>${encoded}</params></methodCall>`;
}

function encode(value: XmlRpcValue): string {
  if (Buffer.isBuffer(value)) return `<base64>${value.toString('base64')}</base64>`;
  if (typeof value === 'number') return Number.isInteger(value) ? `<int>${value}</int>` : `<double>${value}</double>`;
  if (typeof value === 'boolean') return `<boolean>${value ? 1 : 0}</boolean>`;
  if (typeof value === 'string') return `<string>${escapeXml(value)}</string>`;
  const members = Object.entries(value).map(([name, v]) => `<member><name>${escapeXml(name)}</name><value>${encode(v)}</value></member>`);
  return `<struct>${members.join('')}</struct>`;
}

export class XmlRpcFault extends Error {}

/** The response's scalar members (a struct) or its single scalar value, as strings. */
export function parseResponse(xml: string): { value: string | undefined; members: Record<string, string> } {
  const fault = /<fault>[\s\S]*?<name>faultString<\/name>\s*<value>\s*<string>([\s\S]*?)<\/string>/.exec(xml);
  if (fault || xml.includes('<fault>')) throw new XmlRpcFault(`XML-RPC fault: ${unescapeXml(fault?.[1] ?? 'unknown')}`);
  const members: Record<string, string> = {};
  for (const match of xml.matchAll(/<member>\s*<name>([^<]+)<\/name>\s*<value>\s*<(string|int|i4|boolean)>([\s\S]*?)<\/\2>\s*<\/value>\s*<\/member>/g)) {
    members[match[1]!] = unescapeXml(match[3]!);
  }
  const single = /<params>\s*<param>\s*<value>\s*<(string|int|i4|boolean)>([\s\S]*?)<\/\1>/.exec(xml);
  return { value: single ? unescapeXml(single[2]!) : undefined, members };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&');
}
