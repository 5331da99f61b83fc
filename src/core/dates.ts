/**
 * Dates as the three formats want them, computed from the ISO 8601 string an editor gave
 * so that the newsroom's own UTC offset survives (an Arabic desk publishing at 09:00
 * +03:00 shows 09:00 +0300, not 06:00 GMT).
 */

// ISO 8601 / RFC 3339 date-time with a mandatory zone.
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  zone: string;
}

function parseIso(iso: string): DateParts | undefined {
  const m = ISO_WITH_ZONE.exec(iso);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? "0");
  const parts = { year, month, day, hour, minute, second, zone: (m[8] as string).toUpperCase() };
  // Reject dates JavaScript would silently roll over (2020-02-30 → March 1st).
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    probe.getUTCHours() !== hour ||
    probe.getUTCMinutes() !== minute ||
    second > 59
  ) {
    return undefined;
  }
  if (parts.zone !== "Z") {
    const [zh, zm] = parts.zone.slice(1).split(":").map(Number) as [number, number];
    if (zh > 23 || zm > 59) return undefined;
  }
  return parts;
}

/** True for an ISO 8601 date-time that states its zone and names a real instant. */
export function isIsoDateTimeWithZone(value: string): boolean {
  return parseIso(value) !== undefined;
}

/** Milliseconds since the epoch; the input must be valid (see isIsoDateTimeWithZone). */
export function toEpochMs(iso: string): number {
  return Date.parse(iso);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * RFC 822 (as updated by RFC 1123/2822) with English names and a numeric zone, in the
 * offset the date was written in: what the W3C validator and every RSS reader accept.
 */
export function formatRfc822(iso: string): string {
  const p = parseIso(iso);
  if (!p) throw new RangeError(`not an ISO 8601 date-time with a zone: ${iso}`);
  const weekday = DAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()];
  const zone = p.zone === "Z" ? "+0000" : p.zone.replace(":", "");
  return `${weekday}, ${pad(p.day)} ${MONTHS[p.month - 1]} ${pad(p.year, 4)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${zone}`;
}

/** RFC 3339 without fractions, keeping the written offset. */
export function formatRfc3339(iso: string): string {
  const p = parseIso(iso);
  if (!p) throw new RangeError(`not an ISO 8601 date-time with a zone: ${iso}`);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.zone === "Z" ? "Z" : p.zone}`;
}

/** An instant as RFC 3339 UTC without fractions (server-side timestamps). */
export function isoFromEpochMs(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** IMF-fixdate for HTTP Last-Modified (RFC 9110 §5.6.7), from milliseconds since the epoch. */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
