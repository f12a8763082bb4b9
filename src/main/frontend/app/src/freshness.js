// "Data up to <last day>, N hours behind": N counts from the end of the last day with downloads (midnight
// UTC after it) to now, as the gateway's pypi_ingest_lag_seconds does.
import { number } from './dom.js';

/** A threshold in words: minutes below two hours, else hours. */
const threshold = seconds => (seconds < 7200 ? `${number.format(Math.round(seconds / 60))} minutes` : `${number.format(Math.round(seconds / 3600))} hours`);

/**
 * {text, arriving, stale}: the line for `stats` at `now` (ms); arriving = downloads added since `firstTotal` (null:
 * none); stale = the warning when the gateway's `freshness` says the data is older than its threshold (null: fresh).
 */
export function describeFreshness(stats, now, firstTotal, freshness = null) {
  const stale = freshness?.stale
    ? `⚠ Stale: the newest data is older than the gateway's threshold${freshness.staleAfterSeconds
      ? ` (${threshold(freshness.staleAfterSeconds)})` : ''}; recent figures are missing, not falling.`
    : null;
  if (!stats.lastDay) return { text: 'No downloads loaded yet.', arriving: null, stale };
  const end = Date.parse(`${stats.lastDay}T00:00:00Z`) + 86_400_000;
  const hours = Math.max(0, Math.floor((now - end) / 3_600_000));
  let text = `Data up to ${stats.lastDay}, ${number.format(hours)} hours behind`;
  if (hours >= 48) text += ` (${number.format(Math.floor(hours / 24))} days)`;
  if (stats.lastCompleteDay && stats.lastCompleteDay !== stats.lastDay) text += `; complete up to ${stats.lastCompleteDay}`;
  text += ` · ${number.format(stats.totalDownloads)} downloads`;
  const arriving = firstTotal !== null && firstTotal !== undefined && stats.totalDownloads > firstTotal
    ? stats.totalDownloads - firstTotal : null;
  return { text, arriving, stale };
}
