import { Link, useNavigate } from "@tanstack/react-router";
import { useSignOut, useSwitchOrganization } from "@wedsync/ui/session";
import type { Session } from "@wedsync/ui/trpc";
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
import { type Org, ROLE_WORDS } from "../lib/org";
import { tierWords } from "../lib/words";

/** The banner: product, the organization (a switcher for people in several), who is signed in, sign out. */
export function AppHeader({ session, org }: { session: Session; org: Org }) {
  const signOut = useSignOut();
  return (
    <header className="topbar">
      <p className="brand">
        <Link to="/o/$orgId/config" params={{ orgId: org.id }}>
          WedSync <span className="product">Supplier</span>
        </Link>
      </p>
      <OrgSwitcher session={session} org={org} />
      <div className="who">
        <span title={session.user.email}>
          {session.user.name}
          <span className="muted small">
            {" "}
            ·{" "}
            {org.isStaff && !session.organizations.some((o) => o.id === org.id)
              ? "Platform staff"
              : ROLE_WORDS[org.role]}
          </span>
        </span>
        <Button className="secondary" onPress={() => signOut.mutate()} isDisabled={signOut.isPending}>
          Sign out
        </Button>
      </div>
    </header>
  );
}

function OrgSwitcher({ session, org }: { session: Session; org: Org }) {
  const navigate = useNavigate();
  const remember = useSwitchOrganization();
  if (session.organizations.length < 2) {
    return (
      <p className="org-name">
        {org.name} <span className="badge">{tierWords(org.tier)}</span>
      </p>
    );
  }
  const choose = (key: Key | null) => {
    if (typeof key !== "string" || key === org.id) return;
    // Remember it for next time ("/" opens the organization last chosen), and go there now.
    remember.mutate({ organizationId: key });
    void navigate({ to: "/o/$orgId/config", params: { orgId: key } });
  };
  return (
    <Select className="org-switcher" selectedKey={org.id} onSelectionChange={choose}>
      <Label className="visually-hidden">Organization</Label>
      <Button className="secondary select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox">
          {session.organizations.map((o) => (
            <ListBoxItem key={o.id} id={o.id} textValue={o.name} className="listbox-item">
              {o.name}{" "}
              <span className="muted small">
                ({tierWords(o.tier)}, {ROLE_WORDS[o.role]})
              </span>
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}

const SECTIONS = [
  { to: "/o/$orgId/config", label: "AI configuration", admin: false },
  { to: "/o/$orgId/clients", label: "Clients", admin: false },
  { to: "/o/$orgId/quotas", label: "Quotas & live cost", admin: false },
  { to: "/o/$orgId/analytics", label: "Usage analytics", admin: false },
  { to: "/o/$orgId/billing", label: "Billing", admin: true },
  { to: "/o/$orgId/alerts", label: "Alerts", admin: true },
  { to: "/o/$orgId/api", label: "API & keys", admin: false },
] as const;

/** The screens of the organization; owners and admins also see billing and alerts. */
export function AppNav({ org }: { org: Org }) {
  return (
    <nav className="sidenav" aria-label="Sections">
      <ul>
        {SECTIONS.filter((s) => org.canAdmin || !s.admin).map((s) => (
          <li key={s.to}>
            <Link
              to={s.to}
              params={{ orgId: org.id }}
              activeProps={{ "aria-current": "page", className: "active" }}
            >
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
