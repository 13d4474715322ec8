import { defaultKeyDir, LOG_SIGNING_KEY, type LoadedSigningKey, loadSigningKey } from '@duban/event-store';

export { defaultKeyDir };
export const DEV_KEY_FILE = LOG_SIGNING_KEY.devFile;

/** The checkpoint signing key (`DUBAN_LOG_SIGNING_KEY`); see loadSigningKey for where it comes from. */
export function loadLogSigningKey(env: NodeJS.ProcessEnv = process.env, keyDir = defaultKeyDir()): LoadedSigningKey {
  return loadSigningKey(LOG_SIGNING_KEY, env, keyDir);
}
