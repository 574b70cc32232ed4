// Docker multiplexes stdout and stderr of a container without a TTY into frames:
// an 8-byte header (stream type, 3 zero bytes, big-endian payload length) and the payload.
export function demultiplexLogs(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const streamType = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const looksFramed = (streamType === 0 || streamType === 1 || streamType === 2) && buffer[offset + 1] === 0;
    if (!looksFramed) break;
    parts.push(buffer.subarray(offset + 8, offset + 8 + length).toString('utf8'));
    offset += 8 + length;
  }
  // A TTY container sends raw text: whatever is not framed is taken as it is.
  if (offset < buffer.length) parts.push(buffer.subarray(offset).toString('utf8'));
  return parts.join('');
}

/** The frames split by stream: stdout (1) and stderr (2), as raw bytes. */
export function demultiplexStreams(buffer: Buffer): { stdout: Buffer; stderr: Buffer } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const streamType = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + length);
    (streamType === 2 ? err : out).push(payload);
    offset += 8 + length;
  }
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}
