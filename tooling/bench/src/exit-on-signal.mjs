// Preloaded into the Portkey gateway when profiling: it has no SIGTERM handler, and node writes
// --cpu-prof only on a normal exit.
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => process.exit(0));
