/**
 * Builds zips that exist only as a layout: members whose data is "virtual" zeros take no memory,
 * so a test can pretend to serve a multi-GB PyTorch checkpoint and count what gets read.
 */
export interface SparseMember {
  name: string;
  /** Real bytes, or a size of zeros. */
  data: Uint8Array | number;
}

export interface SparseFile {
  size: number;
  read: (offset: number, length: number) => Promise<Uint8Array>;
  /** Bytes handed out so far. */
  served: () => number;
  requests: () => number;
}

export function buildSparseZip(members: SparseMember[], zip64: boolean): SparseFile {
  const segments: { start: number; bytes: Uint8Array }[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const member of members) {
    const name = enc.encode(member.name);
    const size = typeof member.data === "number" ? member.data : member.data.length;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, zip64 ? 45 : 20, true);
    lv.setUint32(18, zip64 ? 0xffffffff : size, true);
    lv.setUint32(22, zip64 ? 0xffffffff : size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    segments.push({ start: offset, bytes: local });
    if (typeof member.data !== "number") segments.push({ start: offset + local.length, bytes: member.data });
    const extra = zip64 ? 28 : 0;
    const entry = new Uint8Array(46 + name.length + extra);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, zip64 ? 45 : 20, true);
    cv.setUint16(6, zip64 ? 45 : 20, true);
    cv.setUint32(20, zip64 ? 0xffffffff : size, true);
    cv.setUint32(24, zip64 ? 0xffffffff : size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra, true);
    cv.setUint32(42, zip64 ? 0xffffffff : offset, true);
    entry.set(name, 46);
    if (zip64) {
      cv.setUint16(46 + name.length, 1, true);
      cv.setUint16(48 + name.length, 24, true);
      cv.setBigUint64(50 + name.length, BigInt(size), true);
      cv.setBigUint64(58 + name.length, BigInt(size), true);
      cv.setBigUint64(66 + name.length, BigInt(offset), true);
    }
    central.push(entry);
    offset += local.length + size;
  }
  const cdOffset = offset;
  const cdSize = central.reduce((n, e) => n + e.length, 0);
  for (const entry of central) {
    segments.push({ start: offset, bytes: entry });
    offset += entry.length;
  }
  if (zip64) {
    const record = new Uint8Array(56);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setBigUint64(24, BigInt(members.length), true);
    rv.setBigUint64(32, BigInt(members.length), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(cdOffset), true);
    segments.push({ start: offset, bytes: record });
    const locator = new Uint8Array(20);
    const locv = new DataView(locator.buffer);
    locv.setUint32(0, 0x07064b50, true);
    locv.setBigUint64(8, BigInt(offset), true);
    locv.setUint32(16, 1, true);
    offset += 56;
    segments.push({ start: offset, bytes: locator });
    offset += 20;
  }
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, zip64 ? 0xffff : members.length, true);
  ev.setUint16(10, zip64 ? 0xffff : members.length, true);
  ev.setUint32(12, zip64 ? 0xffffffff : cdSize, true);
  ev.setUint32(16, zip64 ? 0xffffffff : cdOffset, true);
  segments.push({ start: offset, bytes: eocd });
  const size = offset + 22;

  let served = 0;
  let requests = 0;
  return {
    size,
    served: () => served,
    requests: () => requests,
    read: (at, length) => {
      requests += 1;
      const end = Math.min(size, at + length);
      const out = new Uint8Array(Math.max(0, end - at));
      for (const segment of segments) {
        const from = Math.max(at, segment.start);
        const to = Math.min(end, segment.start + segment.bytes.length);
        if (from < to) out.set(segment.bytes.subarray(from - segment.start, to - segment.start), from - at);
      }
      served += out.length;
      return Promise.resolve(out);
    },
  };
}
