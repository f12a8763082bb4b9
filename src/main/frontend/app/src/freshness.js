// "Data up to <last day>, N hours behind": N counts from the end of the last day with downloads (midnight
// UTC after it) to now, as the gateway's pypi_ingest_lag_seconds does.
import { number } from './dom.js';

/** {text, arriving}: the line for `stats` at `now` (ms); arriving = downloads added since `firstTotal` (null: none). */
export function describeFreshness(stats, now, firstTotal) {
  if (!stats.lastDay) return { text: 'No downloads loaded yet.', arriving: null };
  const end = Date.parse(`${stats.lastDay}T00:00:00Z`) + 86_400_000;
  const hours = Math.max(0, Math.floor((now - end) / 3_600_000));
  let text = `Data up to ${stats.lastDay}, ${number.format(hours)} hours behind`;
  if (hours >= 48) text += ` (${number.format(Math.floor(hours / 24))} days)`;
  if (stats.lastCompleteDay && stats.lastCompleteDay !== stats.lastDay) text += `; complete up to ${stats.lastCompleteDay}`;
  text += ` · ${number.format(stats.totalDownloads)} downloads`;
  const arriving = firstTotal !== null && firstTotal !== undefined && stats.totalDownloads > firstTotal
    ? stats.totalDownloads - firstTotal : null;
  return { text, arriving };
}
