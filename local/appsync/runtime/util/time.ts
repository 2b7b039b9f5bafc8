// util.time: formatting and parsing with java.time.format.DateTimeFormatter pattern letters (AppSync's
// reference), in UTC unless a time zone id is given: a region ("Europe/Berlin") or a fixed offset ("+08:00",
// "-0530", "UTC+8"), as java.time's ZoneId.of reads them.
// Formatting supports G y u M L Q d D E a H k K h m s S n A X x Z O z V and 'quoted' literals; parsing supports
// y u M L d E a H k h K m s S and the offset/zone letters. Other letters raise a DateTimeException.

import { LruCache } from '../../lru.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Token = { kind: 'letter'; letter: string; count: number } | { kind: 'literal'; text: string };

interface ZonedFields {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 0 = Sunday
  dayOfYear: number;
  offsetMinutes: number;
}

export class TimeFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateTimeException';
  }
}

export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'") {
      let j = i + 1;
      let text = '';
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j += 1;
      }
      if (j >= pattern.length) throw new TimeFormatError(`Pattern ends with an incomplete string literal: ${pattern}`);
      tokens.push({ kind: 'literal', text: j === i + 1 ? "'" : text });
      i = j + 1;
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      let j = i;
      while (pattern[j] === ch) j += 1;
      tokens.push({ kind: 'letter', letter: ch, count: j - i });
      i = j;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      i += 1;
    }
  }
  return tokens;
}

/** java.time's offset ids: +h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss, optionally after UTC, GMT or UT. */
const OFFSET_ZONE = /^(UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/** A fixed-offset zone's canonical id (as ZoneId.of gives it: "+08:00", "UTC+08:00") and its offset in minutes. */
function fixedOffset(zone: string): { id: string; minutes: number } | null {
  const m = OFFSET_ZONE.exec(zone);
  if (!m) return null;
  const [, prefix = '', sign, h, mm = '00', ss] = m;
  if (Number(h) > 18 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59) || (h.length === 1 && m[4] !== undefined)) return null;
  const minutes = (sign === '-' ? -1 : 1) * (Number(h) * 60 + Number(mm));
  const id = minutes === 0 && prefix === '' ? 'Z' : `${prefix}${sign}${h.padStart(2, '0')}:${mm}${ss && ss !== '00' ? `:${ss}` : ''}`;
  return { id, minutes };
}

/**
 * Intl.DateTimeFormat instances by zone and style: making one costs about as much as formatting a hundred dates,
 * and a handful of zones ever occur (bounded all the same: a zone id is resolver input). An unknown zone is never kept.
 */
const offsetFormats = new LruCache<string, Intl.DateTimeFormat>({ maxEntries: 256 });
const zoneNameFormats = new LruCache<string, Intl.DateTimeFormat>({ maxEntries: 256 });

function offsetFormat(zone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(zone, format);
  }
  return format;
}

function zoneNameFormat(zone: string, style: 'short' | 'long'): Intl.DateTimeFormat {
  const key = `${zone} ${style}`;
  let format = zoneNameFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style });
    zoneNameFormats.set(key, format);
  }
  return format;
}

function checkZone(timezone: string): string {
  const zone = timezone === 'Z' || timezone === 'UTC' || timezone === 'GMT' ? 'UTC' : timezone;
  if (zone === 'UTC') return zone;
  const fixed = fixedOffset(zone);
  if (fixed) return fixed.id === 'Z' ? 'UTC' : fixed.id;
  try {
    offsetFormat(zone);
  } catch {
    throw new TimeFormatError(`Unknown time-zone ID: ${timezone}`);
  }
  return zone;
}

/** Offset of `zone` from UTC at the instant `epochMs`, in minutes. */
function offsetMinutesAt(epochMs: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const fixed = fixedOffset(zone);
  if (fixed) return fixed.minutes;
  const parts = offsetFormat(zone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000))) / 60000);
}

function zonedFields(epochMs: number, zone: string): ZonedFields {
  const offsetMinutes = offsetMinutesAt(epochMs, zone);
  const d = new Date(epochMs + offsetMinutes * 60000);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    dayOfYear: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - startOfYear) / 86400000) + 1,
    offsetMinutes,
  };
}

const pad = (value: number, width: number) => String(Math.abs(value)).padStart(width, '0');

function formatOffset(minutes: number, withColon: boolean, withMinutes: 'always' | 'nonzero', zeroAsZ: boolean): string {
  if (minutes === 0 && zeroAsZ) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  if (withMinutes === 'nonzero' && m === 0) return `${sign}${pad(h, 2)}`;
  return `${sign}${pad(h, 2)}${withColon ? ':' : ''}${pad(m, 2)}`;
}

function zoneName(epochMs: number, zone: string, style: 'short' | 'long'): string {
  if (zone === 'UTC') return style === 'short' ? 'UTC' : 'Coordinated Universal Time';
  if (fixedOffset(zone)) return zone;
  const parts = zoneNameFormat(zone, style).formatToParts(new Date(epochMs));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

function number(value: number, count: number): string {
  return count === 1 ? String(value) : pad(value, count);
}

function formatToken(token: Token, f: ZonedFields, epochMs: number, zone: string): string {
  if (token.kind === 'literal') return token.text;
  const { letter, count } = token;
  switch (letter) {
    case 'G':
      return count === 4 ? 'Anno Domini' : 'AD';
    case 'y':
    case 'u':
      return count === 2 ? pad(f.year % 100, 2) : number(f.year, count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month - 1];
      if (count === 3) return MONTHS[f.month - 1].slice(0, 3);
      return number(f.month, count);
    case 'Q':
      return number(Math.ceil(f.month / 3), count);
    case 'd':
      return number(f.day, count);
    case 'D':
      return number(f.dayOfYear, count);
    case 'E':
      return count >= 4 ? DAYS[f.weekday] : DAYS[f.weekday].slice(0, 3);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return number(f.hour, count);
    case 'k':
      return number(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return number(f.hour % 12, count);
    case 'h':
      return number(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return number(f.minute, count);
    case 's':
      return number(f.second, count);
    case 'S':
      return pad(f.millis, 3).padEnd(count, '0').slice(0, count);
    case 'n':
      return number(f.millis * 1_000_000, count);
    case 'A':
      return number(((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.millis, count);
    case 'X':
    case 'x': {
      const z = letter === 'X';
      if (count === 1) return formatOffset(f.offsetMinutes, false, 'nonzero', z);
      if (count === 2 || count === 4) return formatOffset(f.offsetMinutes, false, 'always', z);
      return formatOffset(f.offsetMinutes, true, 'always', z);
    }
    case 'Z':
      if (count <= 3) return formatOffset(f.offsetMinutes, false, 'always', false);
      if (count === 4) return f.offsetMinutes === 0 ? 'GMT' : `GMT${formatOffset(f.offsetMinutes, true, 'always', false)}`;
      return formatOffset(f.offsetMinutes, true, 'always', true);
    case 'O':
      if (f.offsetMinutes === 0) return 'GMT';
      return count === 4
        ? `GMT${formatOffset(f.offsetMinutes, true, 'always', false)}`
        : `GMT${f.offsetMinutes < 0 ? '-' : '+'}${Math.floor(Math.abs(f.offsetMinutes) / 60)}${Math.abs(f.offsetMinutes) % 60 ? `:${pad(Math.abs(f.offsetMinutes) % 60, 2)}` : ''}`;
    case 'z':
      return zoneName(epochMs, zone, count >= 4 ? 'long' : 'short');
    case 'V':
      return zone === 'UTC' ? 'UTC' : zone;
    default:
      throw new TimeFormatError(`Unsupported pattern letter: ${letter}`);
  }
}

/** Patterns as tokens: resolvers format with the same few patterns on every call. */
const patternTokens = new LruCache<string, readonly Token[]>({ maxEntries: 256 });

function tokensOf(pattern: string): readonly Token[] {
  let tokens = patternTokens.get(pattern);
  if (!tokens) {
    tokens = tokenize(pattern);
    patternTokens.set(pattern, tokens);
  }
  return tokens;
}

export function formatEpochMillis(epochMs: number, pattern: string, timezone = 'UTC'): string {
  if (!Number.isFinite(epochMs)) throw new TimeFormatError(`Not an epoch time: ${epochMs}`);
  const zone = checkZone(timezone);
  const fields = zonedFields(epochMs, zone);
  return tokensOf(pattern)
    .map((token) => formatToken(token, fields, epochMs, zone))
    .join('');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parses `text` laid out as `pattern`; fields the pattern lacks default to 1970-01-01T00:00:00.000. */
export function parseToEpochMillis(text: string, pattern: string, timezone = 'UTC'): number {
  const tokens = tokensOf(pattern);
  const setters: Array<(value: string, f: Record<string, number>) => void> = [];
  let parsedZone: string | undefined;
  let source = '^';
  const numeric = (count: number, apply: (n: number, f: Record<string, number>) => void, maxWidth = 9) => {
    source += count === 1 ? `(\\d{1,${maxWidth}})` : `(\\d{${count}})`;
    setters.push((v, f) => apply(Number(v), f));
  };
  const textual = (names: string[], apply: (index: number, f: Record<string, number>) => void) => {
    source += `(${names.map(escapeRegExp).join('|')})`;
    setters.push((v, f) => apply(names.findIndex((n) => n.toLowerCase() === v.toLowerCase()), f));
  };
  const offset = () => {
    source += '(Z|[+-]\\d{2}(?::?\\d{2})?|GMT(?:[+-]\\d{1,2}(?::?\\d{2})?)?|UTC)';
    setters.push((v, f) => {
      const m = /([+-])(\d{1,2}):?(\d{2})?/.exec(v);
      f.offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
    });
  };
  for (const token of tokens) {
    if (token.kind === 'literal') {
      source += escapeRegExp(token.text);
      continue;
    }
    const { letter, count } = token;
    switch (letter) {
      case 'y':
      case 'u':
        if (count === 2) numeric(2, (n, f) => (f.year = 2000 + n));
        else numeric(count === 1 ? 1 : count, (n, f) => (f.year = n), 9);
        break;
      case 'M':
      case 'L':
        if (count >= 4) textual(MONTHS, (i, f) => (f.month = i + 1));
        else if (count === 3) textual(MONTHS.map((m) => m.slice(0, 3)), (i, f) => (f.month = i + 1));
        else numeric(count, (n, f) => (f.month = n), 2);
        break;
      case 'd':
        numeric(count, (n, f) => (f.day = n), 2);
        break;
      case 'E':
        textual(count >= 4 ? DAYS : DAYS.map((d) => d.slice(0, 3)), () => undefined);
        break;
      case 'a':
        textual(['AM', 'PM'], (i, f) => (f.pm = i));
        break;
      case 'H':
      case 'k':
        numeric(count, (n, f) => (f.hour = n % 24), 2);
        break;
      case 'h':
      case 'K':
        numeric(count, (n, f) => (f.hour12 = n % 12), 2);
        break;
      case 'm':
        numeric(count, (n, f) => (f.minute = n), 2);
        break;
      case 's':
        numeric(count, (n, f) => (f.second = n), 2);
        break;
      case 'S':
        source += `(\\d{${count}})`;
        setters.push((v, f) => (f.millis = Math.floor(Number(`0.${v}`) * 1000 + 1e-9)));
        break;
      case 'X':
      case 'x':
      case 'Z':
      case 'O':
        offset();
        break;
      case 'z':
      case 'V':
        source += '([A-Za-z_/+-]+)';
        setters.push((v) => (parsedZone = v));
        break;
      default:
        throw new TimeFormatError(`Unsupported pattern letter: ${letter}`);
    }
  }
  const match = new RegExp(`${source}$`).exec(text);
  if (!match) throw new TimeFormatError(`Text '${text}' could not be parsed with pattern '${pattern}'`);
  const f: Record<string, number> = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0 };
  setters.forEach((set, i) => set(match[i + 1], f));
  if (f.hour12 !== undefined) f.hour = f.hour12 + (f.pm === 1 ? 12 : 0);
  const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millis);
  if (f.offset !== undefined) return local - f.offset * 60000;
  const zone = checkZone(parsedZone ?? timezone);
  // The instant whose wall-clock time in `zone` is `local`.
  let guess = local - offsetMinutesAt(local, zone) * 60000;
  guess = local - offsetMinutesAt(guess, zone) * 60000;
  return guess;
}

/** Java's Instant.toString(): fraction digits only when non-zero (0, 3, 6 or 9 of them). */
export function toIso8601(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new TimeFormatError(`Not an epoch time: ${epochMs}`);
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const ISO_8601 = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

export function parseIso8601(text: string): number {
  const m = ISO_8601.exec(String(text));
  if (!m) throw new TimeFormatError(`Text '${text}' could not be parsed as an ISO 8601 date-time`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000 + 1e-9) : 0;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), millis);
  if (zone === 'Z') return local;
  const z = /([+-])(\d{2}):?(\d{2})?/.exec(zone);
  const offset = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) : 0;
  return local - offset * 60000;
}
