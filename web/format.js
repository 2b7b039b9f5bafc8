// @ts-check
// How the page writes statuses, numbers and times.

/** @param {string} status PENDING_UPLOAD → "Pending upload" */
export function statusText(status) {
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** @param {number} value 0..100 */
export function formatPercent(value) {
  return `${value.toFixed(1)}%`;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** @param {string} iso */
export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** @param {string} id */
export function shortId(id) {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** @param {number} ratio */
export function clampRatio(ratio) {
  return Math.max(0, Math.min(1, ratio));
}

/** @param {{ retryable: boolean }} error */
export function retryText(error) {
  return error.retryable ? 'retryable: uploading the same image later may succeed' : 'not retryable';
}
