// The TIMESTAMP of a PASSWORD_VERIFIER answer: Java's "EEE MMM d HH:mm:ss z yyyy" in English, UTC
// (`Tue Mar 4 09:05:07 UTC 2025`). Cognito reads it, then signs its own canonical spelling of that instant:
// a client that writes `Mar 04`, or the wrong weekday, signed other bytes and fails the signature.

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const PATTERN = new RegExp(
  `^(?:${WEEKDAYS.join('|')}) (${MONTHS.join('|')}) (\\d{1,2}) (\\d{1,2}):(\\d{1,2}):(\\d{1,2}) (?:UTC|GMT) (\\d{4})$`,
);

export const TIMESTAMP_FORMAT_MESSAGE = 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.';

const two = (value: number) => String(value).padStart(2, '0');

/** How Cognito (and Amplify's getNowString) writes an instant. */
export function formatSrpTimestamp(date: Date): string {
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** The instant a TIMESTAMP names, or null when it is not in the format (the weekday is read, not checked). */
export function parseSrpTimestamp(text: string): Date | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const [, month, day, hours, minutes, seconds, year] = match;
  const values = [Number(day), Number(hours), Number(minutes), Number(seconds), Number(year)];
  const [d, h, mi, s, y] = values;
  const monthIndex = MONTHS.indexOf(month as (typeof MONTHS)[number]);
  const date = new Date(Date.UTC(y, monthIndex, d, h, mi, s));
  // Date.UTC rolls Feb 30 over into March: such a day is no day at all.
  if (date.getUTCDate() !== d || date.getUTCMonth() !== monthIndex || h > 23 || mi > 59 || s > 59) return null;
  return date;
}
