import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FeatureType, NO_OVERRIDE } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import { errorCode } from "@wedsync/ui/errors";
import { notify } from "@wedsync/ui/Notifications";
import { Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { featureWords, tierWords } from "@wedsync/ui/words";
import { useState } from "react";
import { Tab, TabList, TabPanel, Tabs } from "react-aria-components";
import { LiveBadge } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { changeWords, planBulk } from "./bulk";
import { OverrideForm, type SaveOverrides } from "./OverrideForm";
import { type SaveSettings, SettingsForm, settingsWords } from "./SettingsForm";
import { NO_SETTINGS, type StoredSettings } from "./settingsSchema";
import type { ClientConfig, ClientConfigFeature } from "./types";
import { STATUS_WORDS, weddingDateWords } from "./words";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One client (wedding): per feature, what is in force and where it comes from, its overrides
 * within the platform's limits, the settings the API honours for it, and resets to inherited.
 */
export function ClientScreen({
  clientId,
  feature,
  onFeature,
}: {
  clientId: string;
  feature: FeatureType | undefined;
  onFeature: (feature: FeatureType) => void;
}) {
  const org = useOrg();
  const wellFormed = UUID.test(clientId);
  const config = trpc.clients.config.get.useQuery(
    { organizationId: org.id, clientId },
    { enabled: wellFormed },
  );
  const backLink = (
    <Link to="/o/$orgId/clients" params={{ orgId: org.id }} className="cl-back-link">
      ← All clients
    </Link>
  );
  if (!wellFormed || errorCode(config.error) === "NOT_FOUND") {
    return (
      <Page title="This client does not exist" actions={backLink}>
        <p>It may have been removed, or belong to another organization. Choose a client from the list.</p>
      </Page>
    );
  }
  if (config.isPending) {
    return (
      <Page title="Client" actions={backLink}>
        <Loading label="Loading the client…" />
      </Page>
    );
  }
  if (config.error) {
    return (
      <Page title="Client" actions={backLink}>
        <ApiErrorNotice error={config.error} onRetry={() => void config.refetch()} />
      </Page>
    );
  }
  const { client, features } = config.data;
  const selected =
    feature && features.some((f) => f.featureType === feature) ? feature : features[0]?.featureType;
  return (
    <Page
      title={client.coupleNames}
      lead={`${weddingDateWords(client.weddingDate)} · ${client.venue ?? "No venue yet"} · ${STATUS_WORDS[client.status]}`}
      actions={
        <>
          <LiveBadge />
          {backLink}
        </>
      }
    >
      <Tabs
        className="tabs"
        selectedKey={selected}
        onSelectionChange={(key) => onFeature(key as FeatureType)}
      >
        <TabList aria-label="Features">
          {features.map((f) => (
            <Tab key={f.featureType} id={f.featureType} className="tab">
              {featureWords(f.featureType)}
              {f.override && Object.values(f.override.overrides).some((v) => v !== null) && (
                <span className="cl-tab-note"> · overridden</span>
              )}
            </Tab>
          ))}
        </TabList>
        {features.map((f) => (
          <TabPanel key={f.featureType} id={f.featureType}>
            <FeaturePanel clientId={client.id} clientName={client.coupleNames} feature={f} />
          </TabPanel>
        ))}
      </Tabs>
    </Page>
  );
}

function storedSettingsOf(f: ClientConfigFeature): StoredSettings {
  return f.override
    ? {
        featureSettings: f.override.featureSettings,
        customPrompts: f.override.customPrompts,
        processingPreferences: f.override.processingPreferences,
      }
    : NO_SETTINGS;
}

function FeaturePanel({
  clientId,
  clientName,
  feature: f,
}: {
  clientId: string;
  clientName: string;
  feature: ClientConfig["features"][number];
}) {
  const org = useOrg();
  const queryClient = useQueryClient();
  const update = trpc.clients.config.update.useMutation();
  const [resetError, setResetError] = useState<unknown>(null);
  const words = featureWords(f.featureType);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [["clients"]] });

  if (!f.platform.availableOnTier) {
    return (
      <div className="panel">
        <p>
          <strong>{words} is locked</strong> on your plan: it comes with the{" "}
          {tierWords(f.platform.requiredTier)} plan. Its settings for this client can be chosen once the
          organization's plan includes it.
        </p>
      </div>
    );
  }

  const base = { organizationId: org.id, clientId, featureType: f.featureType };
  const saveOverrides: SaveOverrides = async ({ expectedVersion, overrides }) => {
    const saved = await update.mutateAsync({ ...base, expectedVersion, overrides });
    void refresh();
    return { version: saved.override.version, overrides: saved.override.overrides };
  };
  const saveSettings: SaveSettings = async ({ expectedVersion, ...settings }) => {
    const saved = await update.mutateAsync({ ...base, expectedVersion, ...settings });
    void refresh();
    return {
      version: saved.override.version,
      featureSettings: saved.override.featureSettings,
      customPrompts: saved.override.customPrompts,
      processingPreferences: saved.override.processingPreferences,
    };
  };

  const stored = f.override?.overrides ?? null;
  const settings = storedSettingsOf(f);
  const limitChanges = planBulk(
    [{ id: clientId, coupleNames: clientName, feature: { version: f.version, override: stored } }],
    f.platform,
    { kind: "reset" },
  )[0]!.changes;
  const settingChanges = settingsWords(settings);
  const nothingToReset = limitChanges.length === 0 && settingChanges.length === 0;

  return (
    <>
      <section className="panel cl-section" aria-labelledby={`limits-${f.featureType}`}>
        <h2 id={`limits-${f.featureType}`}>Limits for this client</h2>
        <p className="muted small">
          A client can only tighten the organization's limits. Empty fields inherit them, and follow them when
          they change.
        </p>
        <OverrideForm
          clientName={clientName}
          platform={f.platform}
          stored={stored}
          version={f.version}
          effective={f.effective}
          save={saveOverrides}
        />
      </section>
      <section className="panel cl-section" aria-labelledby={`settings-${f.featureType}`}>
        <h2 id={`settings-${f.featureType}`}>How requests are handled</h2>
        <SettingsForm
          clientName={clientName}
          featureType={f.featureType}
          priorityLevel={f.effective.priorityLevel}
          stored={settings}
          version={f.version}
          save={saveSettings}
        />
      </section>
      <section className="panel cl-section" aria-labelledby={`reset-${f.featureType}`}>
        <h2 id={`reset-${f.featureType}`}>Start again</h2>
        <p className="muted small">
          {nothingToReset
            ? `${words} for ${clientName} already uses the organization's settings.`
            : `Remove every ${words} override and setting for ${clientName}: it then follows the organization.`}
        </p>
        <ConfirmDialog
          trigger={`Reset all ${words} settings to inherited…`}
          title={`Reset ${words} for ${clientName} to inherited?`}
          confirmLabel="Reset to inherited"
          destructive
          isDisabled={nothingToReset}
          pending={update.isPending}
          onConfirm={async () => {
            setResetError(null);
            try {
              await update.mutateAsync({
                ...base,
                expectedVersion: f.version,
                overrides: { ...NO_OVERRIDE },
                featureSettings: {},
                customPrompts: {},
                processingPreferences: {},
              });
              await refresh();
              notify({
                title: `${words} reset to inherited`,
                description: `${clientName} now follows the organization.`,
                tone: "success",
              });
            } catch (err) {
              setResetError(err);
              void refresh();
              throw err;
            }
          }}
        >
          <ul>
            {limitChanges.map((c) => (
              <li key={c.field}>{changeWords(c)}</li>
            ))}
            {settingChanges.map((s) => (
              <li key={s}>{s} → not set</li>
            ))}
          </ul>
          {resetError !== null && <ApiErrorNotice error={resetError as never} />}
        </ConfirmDialog>
      </section>
    </>
  );
}
