import { expressions, type ConformanceCase } from '../case.ts';
import { doc } from './sources.ts';

// The examples of the time helpers page: 2018-02-06T19:01:35.749Z as "now", 1517943695758 as a stored epoch.
const examples = (section: string) => doc('time-helpers-in-util-time', section);
const NOW = 1517943695749;

export const timeCases: ConformanceCase[] = [
  ...expressions(examples('standalone function examples'), [
    ['util.time.nowISO8601 gives the ISO 8601 instant with milliseconds', 'util.time.nowISO8601()', { result: '2018-02-06T19:01:35.749Z' }, NOW],
    ['util.time.nowEpochSeconds gives whole seconds', 'util.time.nowEpochSeconds()', { result: 1517943695 }, NOW],
    ['util.time.nowEpochMilliSeconds gives milliseconds', 'util.time.nowEpochMilliSeconds()', { result: 1517943695750 }, NOW + 1],
    ['util.time.nowFormatted formats in UTC with a Z offset', 'util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ")', { result: '2018-02-06 19:01:35+0000' }, NOW],
    ['util.time.nowFormatted takes an offset time zone (+08:00)', 'util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "+08:00")', { result: '2018-02-07 03:01:35+0800' }, NOW],
    ['util.time.nowFormatted takes a region time zone (Australia/Perth)', 'util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "Australia/Perth")', { result: '2018-02-07 03:01:35+0800' }, NOW],
  ]),
  ...expressions(examples('conversion examples'), [
    ['util.time.epochMilliSecondsToSeconds drops the milliseconds', 'util.time.epochMilliSecondsToSeconds(1517943695758)', { result: 1517943695 }],
    ['util.time.epochMilliSecondsToISO8601 gives the ISO 8601 instant', 'util.time.epochMilliSecondsToISO8601(1517943695758)', { result: '2018-02-06T19:01:35.758Z' }],
    ['util.time.epochMilliSecondsToFormatted formats in UTC', 'util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ")', { result: '2018-02-06 19:01:35+0000' }],
    ['util.time.epochMilliSecondsToFormatted takes an offset time zone', 'util.time.epochMilliSecondsToFormatted(1517943695758, "yyyy-MM-dd HH:mm:ssZ", "+08:00")', { result: '2018-02-07 03:01:35+0800' }],
  ]),
  ...expressions(examples('parsing examples'), [
    ['util.time.parseISO8601ToEpochMilliSeconds reads an offset', 'util.time.parseISO8601ToEpochMilliSeconds("2018-02-01T17:21:05.180+08:00")', { result: 1517476865180 }],
    ['util.time.parseFormattedToEpochMilliSeconds reads the zone from the text', 'util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ")', { result: 1517505562000 }],
    ['util.time.parseFormattedToEpochMilliSeconds takes an offset time zone', 'util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22", "yyyy-MM-dd HH:mm:ss", "+08:00")', { result: 1517505562000 }],
  ]),
];
