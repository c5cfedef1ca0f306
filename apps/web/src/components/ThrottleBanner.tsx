import { type RouterOutputs, trpc } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { useEffect, useState } from "react";

export type ActiveThrottle = RouterOutputs["throttles"]["active"]["throttles"][number];

/** "14:30" today (in the organization's timezone), "Wed 3 Jun, 14:30" another day. */
export function untilWords(at: Date, now: Date, timeZone: string): string {
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(d);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(at);
  if (day(at) === day(now)) return time;
  const date = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
  }).format(at);
  return `${date}, ${time}`;
}

/** One throttle in words: what is paused or limited, for whom, until when, and why. */
export function throttleWords(t: ActiveThrottle, now: Date, timeZone: string): string {
  const feature = t.scope === "feature" && t.featureType ? featureWords(t.featureType) : null;
  const subject = feature ? `${feature} is` : "AI requests are";
  const until = t.expiresAt ? `until ${untilWords(t.expiresAt, now, timeZone)}` : "until WedSync lifts it";
  const per = `${t.perMinute} ${t.perMinute === 1 ? "request" : "requests"} a minute`;
  const where =
    t.scope === "organization"
      ? "for your organization"
      : t.scope === "feature" && t.mode === "refuse"
        ? "for every organization"
        : "across WedSync";
  // A feature or platform limit is one allowance every organization draws on.
  const shared = t.scope === "organization" ? "" : ", shared by every organization,";
  const what = t.mode === "refuse" ? `paused ${where}` : `limited to ${per} ${where}${shared}`;
  return `${subject} ${what} ${until} (reason: ${t.reason}).`;
}

/**
 * What the organization is told while platform staff throttle its AI requests: each throttle in
 * words with what happens to requests meanwhile. A pause is announced at once (alert); a limit
 * politely (status). Nothing when none is in force at `now`.
 */
export function ThrottleNotice({
  throttles,
  now,
  timeZone,
}: {
  throttles: readonly ActiveThrottle[];
  now: Date;
  timeZone: string;
}) {
  const current = throttles.filter((t) => !t.expiresAt || t.expiresAt.getTime() > now.getTime());
  if (current.length === 0) return null;
  const paused = current.some((t) => t.mode === "refuse");
  return (
    <section className="throttle-banner" aria-label="AI service notice" data-mode={paused ? "refuse" : "cap"}>
      <div role={paused ? "alert" : "status"}>
        {current.map((t) => (
          <p key={t.id}>
            <strong>{throttleWords(t, now, timeZone)}</strong>
          </p>
        ))}
        <p className="small">
          {paused
            ? "Requests sent meanwhile are turned away and not charged; send them again once it is lifted."
            : "Requests over the limit are turned away and not charged; send them again a minute later."}
        </p>
      </div>
    </section>
  );
}

/** The organization's throttles, kept current by the live stream (lib/live.tsx) and by their expiry. */
export function ThrottleBanner({ organizationId, timeZone }: { organizationId: string; timeZone: string }) {
  const active = trpc.throttles.active.useQuery({ organizationId });
  const [now, setNow] = useState(() => new Date());
  const throttles = active.data?.throttles ?? [];
  // Gone by itself at its expiry: re-render then (and ask again, in case another took its place).
  const nextExpiry = Math.min(...throttles.map((t) => t.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY));
  const { refetch } = active;
  useEffect(() => {
    if (!Number.isFinite(nextExpiry)) return;
    const timer = setTimeout(
      () => {
        setNow(new Date());
        void refetch();
      },
      Math.max(0, nextExpiry - Date.now()) + 250,
    );
    return () => clearTimeout(timer);
  }, [nextExpiry, refetch]);
  useEffect(() => {
    if (active.dataUpdatedAt) setNow(new Date(active.dataUpdatedAt));
  }, [active.dataUpdatedAt]);
  // A banner that cannot load shows nothing: every request's own answer still says why it was refused.
  if (!active.data) return null;
  return <ThrottleNotice throttles={throttles} now={now} timeZone={timeZone} />;
}
