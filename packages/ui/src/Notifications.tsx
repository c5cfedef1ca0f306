import {
  Button,
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from "react-aria-components";

export interface Notification {
  title: string;
  description?: string;
  tone?: "info" | "success" | "warning";
}

/** One queue for the whole app: a save, a live config change or a new alert all land here. */
export const notifications = new ToastQueue<Notification>({ maxVisibleToasts: 4 });

export function notify(notification: Notification, timeoutMs = 6_000) {
  notifications.add(notification, { timeout: timeoutMs });
}

/** The notification area (a landmark screen readers announce from), bottom right. */
export function NotificationRegion() {
  return (
    <ToastRegion queue={notifications} className="toasts" aria-label="Notifications">
      {({ toast }) => (
        <Toast toast={toast} className={`toast toast-${toast.content.tone ?? "info"}`}>
          <ToastContent>
            <Text slot="title">{toast.content.title}</Text>
            {toast.content.description && <Text slot="description">{toast.content.description}</Text>}
          </ToastContent>
          <Button slot="close" aria-label="Dismiss" className="icon">
            ×
          </Button>
        </Toast>
      )}
    </ToastRegion>
  );
}
