/**
 * The engine watchdog with a server (`selfBraking.model.stallTimeoutSeconds` against
 * `selfBraking.server.timeoutSeconds`): while the engine waits on a server it may rightly stay
 * silent up to the server timeout, so the watchdog waits that long and a margin more. The server
 * timeout then fails the question first, with the message that says what happened. 0 (off) stays off.
 */
export const SERVER_WATCHDOG_MARGIN_SECONDS = 15;

export function watchdogSeconds(stallSeconds: number, server?: { readonly timeoutSeconds: number }): number {
  if (stallSeconds === 0 || !server) return stallSeconds;
  return Math.max(stallSeconds, Math.ceil(server.timeoutSeconds) + SERVER_WATCHDOG_MARGIN_SECONDS);
}
