/**
 * Storage keys shared by the settings module and the content script. Kept apart from
 * lib/settings/storage.ts so the content script, which only watches for changes, does not carry
 * the settings schema and its validation (a third of its size before).
 */
export const SETTINGS_KEY = "settings";
