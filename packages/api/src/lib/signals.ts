/**
 * A signal that aborts when any of `signals` does, with the reason of the first, and `dispose`
 * to unhook it once the work is done. Not AbortSignal.any: on Node 20 every signal it returns
 * that ever had an abort listener stays reachable for good (nodejs/node#48419), about 2 KB per
 * request under load until the process runs out of memory. This one holds nothing after dispose.
 */
export function linkSignals(...signals: AbortSignal[]): { signal: AbortSignal; dispose(): void } {
  const ctrl = new AbortController();
  const already = signals.find((s) => s.aborted);
  if (already) {
    ctrl.abort(already.reason);
    return { signal: ctrl.signal, dispose: () => {} };
  }
  const dispose = () => {
    for (const s of signals) s.removeEventListener("abort", onAbort);
  };
  function onAbort(this: AbortSignal) {
    dispose();
    ctrl.abort(this.reason);
  }
  for (const s of signals) s.addEventListener("abort", onAbort);
  return { signal: ctrl.signal, dispose };
}
