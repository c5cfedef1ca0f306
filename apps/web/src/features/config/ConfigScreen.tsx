import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { notify } from "@wedsync/ui/Notifications";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { LiveBadge } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { useSession } from "../../lib/session";
import { AuditTrail } from "./AuditTrail";
import { FeatureCard } from "./FeatureCard";
import { ReadOnlyNotice } from "./ReadOnlyNotice";
import type { ConfigPatch, PlatformFeature, SaveResult } from "./types";

/**
 * AI configuration of the organization: a card per feature (switch, caps, rate limit, model),
 * then the change history with rollback. Changes made elsewhere arrive by themselves: the live
 * provider refetches platform.config and the history on every change event.
 */
export function ConfigScreen() {
  const org = useOrg();
  const session = useSession();
  const organizationId = org.id;
  const config = trpc.platform.config.get.useQuery({ organizationId });
  const models = trpc.platform.models.useQuery(
    { organizationId },
    { enabled: org.canAdmin, staleTime: 5 * 60_000 },
  );
  const update = trpc.platform.config.update.useMutation();
  const toggle = trpc.platform.features.toggle.useMutation();
  const rollback = trpc.platform.config.rollback.useMutation();

  // Resolve once the stored settings are read back, so the card shows what the server now holds.
  const afterWrite = async <T,>(result: T): Promise<T> => {
    await config.refetch();
    return result;
  };

  const onToggle = async (feature: PlatformFeature, isEnabled: boolean): Promise<SaveResult> => {
    const result = await toggle.mutateAsync({
      organizationId,
      toggles: [{ featureType: feature.featureType, isEnabled }],
    });
    return afterWrite({
      config: result.changed[0] ?? { ...feature, isEnabled },
      cascadedClientConfigs: result.cascadedClientConfigs,
    });
  };

  const onSave = async (feature: PlatformFeature, patch: ConfigPatch, expectedVersion: number) =>
    afterWrite(
      await update.mutateAsync({ organizationId, featureType: feature.featureType, expectedVersion, patch }),
    );

  const onRollback = async (auditId: number, expectedVersion: number) => {
    const { config: restored } = await rollback.mutateAsync({ organizationId, auditId, expectedVersion });
    notify({
      title: `${featureWords(restored.featureType)} rolled back`,
      description: `Now at version ${restored.version}. The rollback is in the history and can itself be rolled back.`,
      tone: "success",
    });
    return afterWrite(restored);
  };

  let content: React.ReactNode;
  if (config.isPending) content = <Loading label="Loading the AI settings…" />;
  else if (config.error)
    content = <ApiErrorNotice error={config.error} onRetry={() => void config.refetch()} />;
  else if (config.data.features.length === 0)
    content = (
      <EmptyState title="No AI features are set up yet">
        This organization has no AI feature settings. Contact WedSync support to have them set up.
      </EmptyState>
    );
  else
    content = (
      <>
        <section aria-labelledby="features-heading">
          <h2 id="features-heading">Features</h2>
          <div className="feature-cards">
            {config.data.features.map((feature) => (
              <FeatureCard
                key={feature.featureType}
                feature={feature}
                tier={org.tier}
                canEdit={org.canAdmin}
                pricedModels={models.data?.models ?? null}
                onToggle={(on) => onToggle(feature, on)}
                onSave={(patch, version) => onSave(feature, patch, version)}
              />
            ))}
          </div>
          {models.error && <ApiErrorNotice error={models.error} onRetry={() => void models.refetch()} />}
        </section>
        {org.canAdmin ? (
          <AuditTrail
            organizationId={organizationId}
            myUserId={session.user.id}
            timeZone={org.timezone}
            features={config.data.features}
            onRollback={onRollback}
          />
        ) : (
          <p className="muted">The change history is shown to owners and admins.</p>
        )}
      </>
    );

  return (
    <Page
      title="AI configuration"
      lead={`Switch AI features on or off for ${org.name} and set the daily limits all your clients (weddings) share. Each client inherits these and may be given lower limits of its own.`}
      actions={<LiveBadge />}
    >
      {!org.canAdmin && <ReadOnlyNotice memberRole={org.role} />}
      {content}
    </Page>
  );
}
