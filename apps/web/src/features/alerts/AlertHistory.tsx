import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Button,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
} from "react-aria-components";
import { useLive, useUsageEvents } from "../../lib/live";
import { AlertHistoryTable } from "./AlertHistoryTable";
import { mergeAlerts } from "./history";
import { ALERT_KINDS, type AlertItem, type AlertKind, KIND_WORDS } from "./words";

const PAGE = 20;
type KindFilter = AlertKind | "all";

/**
 * The alert history, a page at a time, with alerts that arrive while it is open put at the top
 * at once (from the organization's one alert stream) and marked New.
 */
export function AlertHistory({ organizationId, timeZone }: { organizationId: string; timeZone: string }) {
  const [kind, setKind] = useState<KindFilter>("all");
  const history = trpc.alerts.list.useInfiniteQuery(
    { organizationId, limit: PAGE, ...(kind !== "all" && { kind }) },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const [live, setLive] = useState<AlertItem[]>([]);
  const { onAlert } = useLive();
  useEffect(
    () =>
      onAlert((alert) => setLive((seen) => (seen.some((a) => a.id === alert.id) ? seen : [alert, ...seen]))),
    [onAlert],
  );
  // Alerts are raised by requests: ask again shortly after requests complete, so an alert whose
  // live event was missed (the stream reconnecting at that moment) still shows up here.
  const { refetch } = history;
  const recheck = useRef<ReturnType<typeof setTimeout> | null>(null);
  useUsageEvents(() => {
    recheck.current ??= setTimeout(() => {
      recheck.current = null;
      void refetch();
    }, 2_000);
  });
  useEffect(
    () => () => {
      if (recheck.current) clearTimeout(recheck.current);
    },
    [],
  );
  // Everything newer than what the first page showed arrived while the page was open.
  const baseline = useRef<number | null>(null);
  const firstPage = history.data?.pages[0];
  if (baseline.current === null && firstPage) baseline.current = firstPage.alerts[0]?.id ?? 0;

  const alerts = useMemo(
    () =>
      mergeAlerts(
        live.filter((a) => kind === "all" || a.kind === kind),
        history.data?.pages.flatMap((p) => p.alerts) ?? [],
      ),
    [live, kind, history.data],
  );
  const freshIds = useMemo(
    () =>
      new Set([
        ...live.map((a) => a.id),
        ...alerts.filter((a) => baseline.current !== null && a.id > baseline.current).map((a) => a.id),
      ]),
    [live, alerts],
  );

  return (
    <>
      <div className="toolbar">
        <Select
          className="field"
          selectedKey={kind}
          onSelectionChange={(key: Key | null) => {
            if (typeof key === "string") setKind(key as KindFilter);
          }}
        >
          <Label>Show</Label>
          <Button className="secondary select-button">
            <SelectValue />
            <span aria-hidden="true"> ▾</span>
          </Button>
          <Popover className="popover">
            <ListBox
              className="listbox"
              items={[
                { id: "all", name: "All alerts" },
                ...ALERT_KINDS.map((k) => ({ id: k, name: KIND_WORDS[k].name })),
              ]}
            >
              {(item) => (
                <ListBoxItem id={item.id} textValue={item.name} className="listbox-item">
                  {item.name}
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </Select>
      </div>
      {history.isPending ? (
        <Loading label="Loading alerts…" />
      ) : history.error ? (
        <ApiErrorNotice error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <>
          <AlertHistoryTable alerts={alerts} freshIds={freshIds} timeZone={timeZone} />
          {history.hasNextPage && (
            <p>
              <Button
                className="secondary"
                onPress={() => void history.fetchNextPage()}
                isDisabled={history.isFetchingNextPage}
              >
                {history.isFetchingNextPage ? "Loading older alerts…" : "Show older alerts"}
              </Button>
            </p>
          )}
        </>
      )}
    </>
  );
}
