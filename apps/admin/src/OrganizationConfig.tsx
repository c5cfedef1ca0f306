import { ConfigTable } from "@wedsync/ui/ConfigTable";
import { tierLabel } from "@wedsync/ui/format";
import { LiveStatus, useLiveConfig } from "@wedsync/ui/Live";
import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useEffect, useRef } from "react";

/** One organization's platform configuration, as staff see it (platform.config.get with its id). */
export function OrganizationConfig({
  organizationId,
  autoFocus,
}: {
  organizationId: string;
  autoFocus: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const config = trpc.platform.config.get.useQuery({ organizationId });
  const live = useLiveConfig(organizationId);
  const loaded = config.data !== undefined;

  // Chosen from the list: take focus to the new content so keyboard and screen reader users land on it.
  useEffect(() => {
    if (autoFocus && loaded) heading.current?.focus();
  }, [autoFocus, loaded]);

  if (config.isPending) return <Loading label="Loading configuration…" />;
  if (config.error) return <ErrorNotice error={config.error} onRetry={() => void config.refetch()} />;

  const { organization, features } = config.data;
  return (
    <section aria-labelledby="config-heading" className="panel">
      <h2 id="config-heading" ref={heading} tabIndex={-1}>
        {organization.name}
      </h2>
      <p className="meta">
        <span className="badge">{tierLabel(organization.tier)} tier</span>
        <span>Time zone: {organization.timezone}</span>
      </p>
      <LiveStatus status={live.status} lastChange={live.lastChange} />
      <ConfigTable caption={`AI platform configuration for ${organization.name}`} features={features} />
    </section>
  );
}
